package dev.switchboard.integrations;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every integration this server knows, loaded once at start. A definition that fails to load is kept as
 * a {@link LoadError} (listed in {@code GET /actions}) and stops nothing else.
 */
public final class IntegrationCatalog {
    private static final Logger LOG = LoggerFactory.getLogger(IntegrationCatalog.class);
    private static final String INDEX = "integrations/index.txt";

    public record LoadError(String integration, String message) {}

    private final Map<String, IntegrationDefinition> integrations = new LinkedHashMap<>();
    private final Map<String, ActionDefinition.Compiled> actions = new LinkedHashMap<>();
    private final List<LoadError> errors = new ArrayList<>();

    /** @param sources definition text by integration key */
    public IntegrationCatalog(Map<String, String> sources) {
        sources.forEach((key, yaml) -> {
            try {
                IntegrationLoader.Loaded loaded = IntegrationLoader.load(key, yaml);
                integrations.put(key, loaded.definition());
                loaded.actions().forEach(a -> actions.put(a.name(), a));
            } catch (IllegalArgumentException e) {
                LOG.error("integration {} did not load: {}", key, e.getMessage());
                errors.add(new LoadError(key, e.getMessage()));
            }
        });
    }

    /**
     * The definitions shipped in the jar (named by {@code integrations/index.txt}), then the operator's own
     * {@code <dataDir>/integrations/<key>.yaml} files, which add integrations or replace shipped ones.
     */
    public static IntegrationCatalog load(Path operatorDir) {
        Map<String, String> sources = new LinkedHashMap<>();
        for (String key : readResource(INDEX).lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList()) {
            sources.put(key, readResource("integrations/" + key + ".yaml"));
        }
        if (Files.isDirectory(operatorDir)) {
            try (Stream<Path> files = Files.list(operatorDir)) {
                for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".yaml")).sorted().toList()) {
                    String name = file.getFileName().toString();
                    sources.put(name.substring(0, name.length() - ".yaml".length()), Files.readString(file));
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + operatorDir, e);
            }
        }
        return new IntegrationCatalog(sources);
    }

    private static String readResource(String name) {
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
        return actions.values().stream().filter(a -> a.integration().equals(integration)).toList();
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
