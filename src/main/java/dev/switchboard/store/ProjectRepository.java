package dev.switchboard.store;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

public final class ProjectRepository {
    /**
     * @param unknownParameters {@code refuse} (the default: a parameter an action does not declare is a 400 naming
     *                          it) or {@code ignore} (it is dropped, the answer's header and the run record name it)
     */
    public record Project(String id, String name, long createdAt, String unknownParameters, Branding branding) {
        public static final java.util.Set<String> UNKNOWN_PARAMETER_MODES = java.util.Set.of("refuse", "ignore");

        public Project {
            branding = branding == null ? Branding.NONE : branding;
        }

        public boolean ignoresUnknownParameters() {
            return "ignore".equals(unknownParameters);
        }
    }

    /**
     * How the project's Connect page presents itself to its end users; each part optional.
     *
     * @param displayName the application's name, as its users know it
     * @param logoUrl     an https (or http) address of its logo
     * @param accentColor {@code #RRGGBB}, for buttons and links
     */
    public record Branding(String displayName, String logoUrl, String accentColor) {
        public static final Branding NONE = new Branding(null, null, null);
    }

    private final Jdbi jdbi;
    private final Clock clock;
    private final ReadCache<String, Optional<Project>> byId;

    public ProjectRepository(Jdbi jdbi, Clock clock, Duration cacheTtl) {
        this.jdbi = jdbi;
        this.clock = clock;
        this.byId = new ReadCache<>(cacheTtl, 10_000);
    }

    public Project create(String name) {
        Project project = new Project(UUID.randomUUID().toString(), name, clock.millis(), "refuse", Branding.NONE);
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO projects (id, name, created_at) VALUES (:id, :name, :createdAt)")
                .bindMethods(project).execute());
        byId.invalidateAll();
        return project;
    }

    /** Renames the project; empty when there is no such project. */
    public Optional<Project> rename(String id, String name) {
        int updated = jdbi.withHandle(h -> h.createUpdate("UPDATE projects SET name = :name WHERE id = :id")
                .bind("name", name).bind("id", id).execute());
        byId.invalidateAll();
        return updated == 0 ? Optional.empty() : read(id);
    }

    /** Sets how the project's actions treat parameters they do not declare; empty when there is no such project. */
    public Optional<Project> setUnknownParameters(String id, String mode) {
        if (!Project.UNKNOWN_PARAMETER_MODES.contains(mode)) {
            throw new IllegalArgumentException("unknownParameters must be refuse or ignore");
        }
        int updated = jdbi.withHandle(h -> h.createUpdate("UPDATE projects SET unknown_parameters = :mode WHERE id = :id")
                .bind("mode", mode).bind("id", id).execute());
        byId.invalidateAll();
        return updated == 0 ? Optional.empty() : read(id);
    }

    /** Sets the project's Connect page branding; empty when there is no such project. */
    public Optional<Project> setBranding(String id, Branding branding) {
        String json = dev.switchboard.json.Json.write(dev.switchboard.json.Json.MAPPER.valueToTree(branding));
        int updated = jdbi.withHandle(h -> h.createUpdate("UPDATE projects SET branding = :branding WHERE id = :id")
                .bind("branding", json).bind("id", id).execute());
        byId.invalidateAll();
        return updated == 0 ? Optional.empty() : read(id);
    }

    /** Every project, oldest first. */
    public List<Project> list() {
        return jdbi.withHandle(h -> h.createQuery(SELECT + " ORDER BY created_at, id").map((rs, ctx) -> map(rs)).list());
    }

    /**
     * Deletes a project and everything under it, in one transaction: its users' accounts, runs, idempotency records,
     * Connect sessions, integration settings and signing keys. False when there is no such project.
     */
    public boolean delete(String id) {
        boolean deleted = jdbi.inTransaction(h -> {
            // Children before parents (the foreign keys); ProjectDeletionTest checks that no table keeps a row of it.
            for (String table : List.of("trigger_deliveries", "trigger_events", "trigger_subscriptions", "idempotency_keys", "credentials", "sdk_sessions", "oauth_states", "runs", "connected_users",
                    "integration_configs", "signing_keys")) {
                h.createUpdate("DELETE FROM " + table + " WHERE project_id = :id").bind("id", id).execute();
            }
            return h.createUpdate("DELETE FROM projects WHERE id = :id").bind("id", id).execute() == 1;
        });
        byId.invalidateAll();
        return deleted;
    }

    public Optional<Project> find(String id) {
        return byId.get(id, this::read);
    }

    private static final String SELECT = "SELECT id, name, created_at, unknown_parameters, branding FROM projects";

    private Optional<Project> read(String id) {
        return jdbi.withHandle(h -> h.createQuery(SELECT + " WHERE id = :id").bind("id", id).map((rs, ctx) -> map(rs)).findOne());
    }

    private static Project map(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new Project(rs.getString("id"), rs.getString("name"), rs.getLong("created_at"),
                rs.getString("unknown_parameters"), rs.getString("branding") == null ? Branding.NONE
                : dev.switchboard.json.Json.MAPPER.readValue(rs.getString("branding"), Branding.class));
    }

    public void bindCacheMetrics(io.micrometer.core.instrument.MeterRegistry meters) {
        byId.bindTo(meters, "projects");
    }
}
