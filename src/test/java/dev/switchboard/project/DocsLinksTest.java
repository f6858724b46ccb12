package dev.switchboard.project;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every link between the README and docs/ leads somewhere in the repository: the file exists, and the heading its
 * anchor names exists in it (GitHub's anchors). Nothing points outside the clone but web addresses.
 */
class DocsLinksTest {
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");
    private static final Pattern HEADING = Pattern.compile("(?m)^#{1,6} (.+)$");

    static String anchor(String heading) {
        return heading.strip().toLowerCase(Locale.ROOT).replaceAll("[`*_]", "").replaceAll("[^\\p{L}\\p{N} -]", "").replace(' ', '-');
    }

    static Set<String> anchors(Path file) throws Exception {
        Set<String> anchors = new HashSet<>();
        String text = Files.readString(file).replaceAll("(?s)```.*?```", "");
        Matcher m = HEADING.matcher(text);
        while (m.find()) {
            anchors.add(anchor(m.group(1)));
        }
        return anchors;
    }

    @Test
    void everyLinkResolvesInTheRepository() throws Exception {
        List<Path> docs = new ArrayList<>(List.of(Path.of("README.md")));
        try (Stream<Path> files = Files.list(Path.of("docs"))) {
            files.filter(f -> f.toString().endsWith(".md")).sorted().forEach(docs::add);
        }
        List<String> broken = new ArrayList<>();
        int checked = 0;
        for (Path doc : docs) {
            String text = Files.readString(doc).replaceAll("(?s)```.*?```", "");
            Matcher m = LINK.matcher(text);
            while (m.find()) {
                String target = m.group(1);
                if (target.matches("(?i)(https?|mailto):.*")) {
                    continue;
                }
                checked++;
                String file = target.contains("#") ? target.substring(0, target.indexOf('#')) : target;
                String fragment = target.contains("#") ? target.substring(target.indexOf('#') + 1) : null;
                Path resolved = file.isEmpty() ? doc.toAbsolutePath() : doc.toAbsolutePath().getParent().resolve(file).normalize();
                if (!resolved.startsWith(Path.of("").toAbsolutePath())) {
                    broken.add(doc + ": " + target + " points outside the repository");
                } else if (!Files.exists(resolved)) {
                    broken.add(doc + ": " + target + " (no such file)");
                } else if (fragment != null && resolved.toString().endsWith(".md") && !anchors(resolved).contains(fragment)) {
                    broken.add(doc + ": " + target + " (no such heading in " + resolved.getFileName() + ")");
                }
            }
        }
        assertThat(checked).isGreaterThan(20);
        assertThat(broken).isEmpty();
    }
}
