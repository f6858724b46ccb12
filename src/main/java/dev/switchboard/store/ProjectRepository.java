package dev.switchboard.store;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

public final class ProjectRepository {
    public record Project(String id, String name, long createdAt) {}

    private final Jdbi jdbi;
    private final Clock clock;
    private final ReadCache<String, Optional<Project>> byId;

    public ProjectRepository(Jdbi jdbi, Clock clock, Duration cacheTtl) {
        this.jdbi = jdbi;
        this.clock = clock;
        this.byId = new ReadCache<>(cacheTtl, 10_000);
    }

    public Project create(String name) {
        Project project = new Project(UUID.randomUUID().toString(), name, clock.millis());
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO projects (id, name, created_at) VALUES (:id, :name, :createdAt)")
                .bindMethods(project).execute());
        byId.invalidateAll();
        return project;
    }

    public Optional<Project> find(String id) {
        return byId.get(id, this::read);
    }

    private Optional<Project> read(String id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT id, name, created_at FROM projects WHERE id = :id")
                .bind("id", id)
                .map((rs, ctx) -> new Project(rs.getString("id"), rs.getString("name"), rs.getLong("created_at")))
                .findOne());
    }
}
