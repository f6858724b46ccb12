package dev.switchboard.integrations;

import dev.switchboard.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The definitions that loaded at an earlier start, kept as parsed JSON in the data directory
 * ({@code cache/definitions.json}) by the SHA-256 of their text, for this build's definition format only. With
 * hundreds of actions, parsing YAML, checking each file against the format and compiling every input schema are
 * most of start-up on a cold JVM: a definition found here is read as JSON (about ten times faster), not checked
 * against the format again, and its input schemas compile on first use. An edited file has another digest, and
 * a file that failed to load is never kept, so every definition error is still reported at start. An unreadable
 * cache is ignored and written anew.
 */
final class ParsedDefinitions {
    private static final Logger LOG = LoggerFactory.getLogger(ParsedDefinitions.class);
    private static final int FORMAT_VERSION = 1;
    /** The definition format this build checks against: a cache written by another build is not used. */
    private static final String FORMAT_DIGEST = sha256(IntegrationCatalog.readResource(IntegrationLoader.FORMAT_RESOURCE));

    private final Path file;
    private final Map<String, JsonNode> cached;
    private final Map<String, JsonNode> loaded = new ConcurrentHashMap<>();

    private ParsedDefinitions(Path file, Map<String, JsonNode> cached) {
        this.file = file;
        this.cached = cached;
    }

    /** @param file the cache file, or null for none (every definition parsed) */
    static ParsedDefinitions at(Path file) {
        Map<String, JsonNode> cached = new ConcurrentHashMap<>();
        if (file != null && Files.isRegularFile(file)) {
            try {
                JsonNode tree = Json.MAPPER.readTree(Files.readAllBytes(file));
                if (tree.path("version").asInt(0) == FORMAT_VERSION && tree.path("format").asString("").equals(FORMAT_DIGEST)) {
                    tree.path("trees").properties().forEach(e -> cached.put(e.getKey(), e.getValue()));
                }
            } catch (IOException | RuntimeException unreadable) {
                LOG.warn("the parsed definitions in {} are unreadable; parsing the definitions again", file);
            }
        }
        return new ParsedDefinitions(file, cached);
    }

    /** Loads a definition: from its kept tree when its text loaded before, else parsed and checked in full. */
    IntegrationLoader.Loaded load(String key, String yaml) {
        String digest = sha256(yaml);
        JsonNode kept = cached.get(digest);
        JsonNode tree = kept != null ? kept : IntegrationLoader.parse(yaml);
        IntegrationLoader.Loaded result = IntegrationLoader.load(key, tree, kept != null);
        loaded.put(digest, tree);
        return result;
    }

    /** Writes the cache when it differs from this start's definitions, keeping only those that loaded. */
    void save() {
        // The data directory is made (its owner's alone) by the node; the cache never makes it.
        if (file == null || loaded.keySet().equals(cached.keySet()) || !Files.isDirectory(file.getParent().getParent())) {
            return;
        }
        try {
            Files.createDirectories(file.getParent());
            ObjectNode out = Json.object().put("version", FORMAT_VERSION).put("format", FORMAT_DIGEST);
            ObjectNode trees = out.putObject("trees");
            loaded.forEach(trees::set);
            Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
            Files.write(temporary, Json.write(out).getBytes(StandardCharsets.UTF_8));
            try {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            LOG.warn("cannot keep the parsed definitions in {}: {}", file, e.getMessage());
        }
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
