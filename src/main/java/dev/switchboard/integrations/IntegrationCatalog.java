package dev.switchboard.integrations;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every integration this server knows, loaded once at start. A definition that fails to load is kept as
 * a {@link LoadError} (listed in {@code GET /actions}) and stops nothing else.
 */
public final class IntegrationCatalog {
    private static final Logger LOG = LoggerFactory.getLogger(IntegrationCatalog.class);
    private static final String SHIPPED = "integrations";

    public record LoadError(String integration, String message) {}

    private final Map<String, IntegrationDefinition> integrations = new LinkedHashMap<>();
    private final Map<String, ActionDefinition.Compiled> actions = new LinkedHashMap<>();
    private final List<LoadError> errors = new ArrayList<>();

    private final Map<String, List<ActionDefinition.Compiled>> actionsByIntegration = new LinkedHashMap<>();

    /** @param sources definition text by integration key, loaded side by side and kept in this order */
    public IntegrationCatalog(Map<String, String> sources) {
        this(sources, ParsedDefinitions.at(null));
    }

    private IntegrationCatalog(Map<String, String> sources, ParsedDefinitions parsed) {
        List<Map.Entry<String, String>> entries = List.copyOf(sources.entrySet());
        List<Object> loaded = entries.parallelStream().map(entry -> {
            try {
                return (Object) parsed.load(entry.getKey(), entry.getValue());
            } catch (IllegalArgumentException e) {
                return new LoadError(entry.getKey(), e.getMessage());
            }
        }).toList();
        for (Object result : loaded) {
            if (result instanceof IntegrationLoader.Loaded definition) {
                String key = definition.definition().key();
                integrations.put(key, definition.definition());
                definition.actions().forEach(a -> actions.put(a.name(), a));
                actionsByIntegration.put(key, List.copyOf(definition.actions()));
            } else {
                LoadError error = (LoadError) result;
                LOG.error("integration {} did not load: {}", error.integration(), error.message());
                errors.add(error);
            }
        }
    }

    /**
     * The definitions shipped in the jar (every {@code integrations/<key>.yaml} on the class path), then the
     * operator's own {@code <dataDir>/integrations/<key>.yaml} files, which add integrations or replace shipped ones.
     */
    public static IntegrationCatalog load(Path operatorDir) {
        return load(operatorDir, null);
    }

    /**
     * @param parsedCache where parsed definitions are kept between starts ({@link ParsedDefinitions}), or null
     */
    public static IntegrationCatalog load(Path operatorDir, Path parsedCache) {
        long started = System.nanoTime();
        Map<String, String> sources = shipped();
        if (Files.isDirectory(operatorDir)) {
            sources.putAll(definitionsIn(operatorDir));
        }
        ParsedDefinitions parsed = ParsedDefinitions.at(parsedCache);
        IntegrationCatalog catalog = new IntegrationCatalog(sources, parsed);
        parsed.save();
        LOG.info("catalog: {} integrations, {} actions loaded in {} ms", catalog.integrations.size(), catalog.actions.size(),
                (System.nanoTime() - started) / 1_000_000);
        return catalog;
    }

    /** The shipped definitions by key: the folder's own listing, whether it is a directory or inside the jar. */
    public static Map<String, String> shipped() {
        URI folder;
        try {
            folder = Objects.requireNonNull(IntegrationCatalog.class.getClassLoader().getResource(SHIPPED), "missing resource " + SHIPPED).toURI();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        if (!folder.getScheme().equals("jar")) {
            return definitionsIn(Path.of(folder));
        }
        try (FileSystem jar = FileSystems.newFileSystem(folder, Map.of())) {
            return definitionsIn(jar.getPath(SHIPPED));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + folder, e);
        }
    }

    /** Every {@code <key>.yaml} of a folder, by key, in the order of their names. */
    private static Map<String, String> definitionsIn(Path dir) {
        Map<String, String> sources = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".yaml")).sorted().toList()) {
                String name = file.getFileName().toString();
                sources.put(name.substring(0, name.length() - ".yaml".length()), Files.readString(file));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + dir, e);
        }
        return sources;
    }

    public static String readResource(String name) {
        try (InputStream in = IntegrationCatalog.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Optional<IntegrationDefinition> integration(String key) {
        return Optional.ofNullable(integrations.get(key));
    }

    public Optional<ActionDefinition.Compiled> action(String name) {
        return Optional.ofNullable(actions.get(name));
    }

    public List<ActionDefinition.Compiled> actionsOf(String integration) {
        return actionsByIntegration.getOrDefault(integration, List.of());
    }

    /** The action a former name now belongs to, if any ({@code formerNames} in a definition). */
    public Optional<String> renamedTo(String formerName) {
        for (ActionDefinition.Compiled action : actions.values()) {
            if (action.definition().formerNames().contains(formerName)) {
                return Optional.of(action.name());
            }
        }
        return Optional.empty();
    }

    /**
     * The names of the actions of the integration(s) whose action prefix the name starts with ({@code SLACK_} for
     * {@code SLACK_LIST_USER}, {@code GOOGLE_DRIVE_} for {@code GOOGLE_DRIVE_LIST}): the candidates of a "did you
     * mean" that never points into another integration. Empty when no integration's prefix fits.
     */
    public List<String> actionNamesLike(String name) {
        List<String> names = new ArrayList<>();
        actionsByIntegration.forEach((key, list) -> {
            if (name.startsWith(actionPrefix(list))) {
                list.forEach(a -> names.add(a.name()));
            }
        });
        return names;
    }

    /** The words an integration's action names share, with the underscore after them; at least their first word. */
    private static String actionPrefix(List<ActionDefinition.Compiled> actions) {
        String[] shared = actions.get(0).name().split("_");
        int words = shared.length - 1; // never a whole name
        for (ActionDefinition.Compiled action : actions) {
            String[] parts = action.name().split("_");
            int same = 0;
            while (same < Math.min(words, parts.length - 1) && parts[same].equals(shared[same])) {
                same++;
            }
            words = same;
        }
        return String.join("_", java.util.Arrays.copyOf(shared, Math.max(1, words))) + "_";
    }

    public java.util.Set<String> actionNames() {
        return Collections.unmodifiableSet(actions.keySet());
    }

    public java.util.Set<String> integrationKeys() {
        return Collections.unmodifiableSet(integrations.keySet());
    }

    public List<LoadError> errors() {
        return Collections.unmodifiableList(errors);
    }
}
