package dev.switchboard.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.config.DataDirSecrets;
import dev.switchboard.config.ServerConfig;
import dev.switchboard.crypto.SecretBox;
import dev.switchboard.store.IntegrationConfigRepository.IntegrationConfig;
import dev.switchboard.testing.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** The repositories on both stores, with the same migrations and SQL. */
@ParameterizedClass(name = "on {0}")
@EnumSource(TestDatabases.Kind.class)
class StoreTest {
    @Parameter
    TestDatabases.Kind kind;

    private Path dataDir;
    private String dbUrl;
    private Database database;
    private final Clock clock = Clock.fixed(Instant.parse("2026-11-29T00:00:00Z"), ZoneOffset.UTC);
    private final SecretBox secretBox = new SecretBox(DataDirSecrets.randomBase64(32));

    @BeforeEach
    void open() throws Exception {
        dataDir = Files.createTempDirectory("store-test");
        dbUrl = TestDatabases.newDatabaseUrl(kind);
        database = Database.open(dbUrl, dataDir);
    }

    @AfterEach
    void close() {
        database.close();
    }

    @Test
    void migrationsRunOnceAndReopenCleanly() {
        int applied = database.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM flyway_schema_history WHERE success = :ok")
                .bind("ok", true).mapTo(Integer.class).one());
        database.close();
        database = Database.open(dbUrl, dataDir);
        int afterReopen = database.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM flyway_schema_history")
                .mapTo(Integer.class).one());
        assertThat(applied).as("V1 schema, V2 refresh columns, V3 OAuth states, V4 idempotency keys, V5 unknown parameters, V6 SDK connect, V7 connect values, V8 runs by age, V9 console sessions, V10 triggers, V11 runs pruned by project")
                .isEqualTo(11);
        assertThat(afterReopen).as("nothing applied twice").isEqualTo(applied);
        assertThat(database.isHealthy()).isTrue();
    }

    @Test
    void credentialsAreEncryptedAtRestAndScopedToTheirOwner() {
        ProjectRepository projects = new ProjectRepository(database.jdbi(), clock, ServerConfig.DEFAULT_CACHE_TTL);
        String projectId = projects.create("acme").id();
        new ConnectedUserRepository(database.jdbi(), clock).ensure(projectId, "u1");
        CredentialStore store = new CredentialStore(database.jdbi(), secretBox, clock, ServerConfig.DEFAULT_CACHE_TTL);

        Credential saved = store.insert(new CredentialStore.NewCredential(projectId, "u1", "slack", "xoxb-plain-access",
                "xoxe-plain-refresh", null, 1_800_000_000_000L, "T123", Map.of("team", "T123")));

        assertThat(store.find(projectId, "u1", saved.id())).get().satisfies(c -> {
            assertThat(c.accessToken()).isEqualTo("xoxb-plain-access");
            assertThat(c.refreshToken()).isEqualTo("xoxe-plain-refresh");
            assertThat(c.providerData()).containsEntry("team", "T123");
            assertThat(c.status()).isEqualTo(Credential.Status.VALID);
            assertThat(c.toString()).doesNotContain("xoxb");
        });
        assertThat(store.find(projectId, "u2", saved.id())).as("another user's id finds nothing").isEmpty();
        assertThat(store.find("other-project", "u1", saved.id())).isEmpty();

        List<Map<String, Object>> rows = database.jdbi().withHandle(h -> h.createQuery("SELECT * FROM credentials").mapToMap().list());
        assertThat(rows).hasSize(1);
        assertThat(rows.toString()).doesNotContain("xoxb-plain-access").doesNotContain("xoxe-plain-refresh");

        store.markInvalid(saved.id(), "revoked");
        assertThat(store.integrationsWithValidCredential(projectId, "u1")).isEmpty();
        assertThat(store.find(projectId, "u1", saved.id()).orElseThrow().statusReason()).isEqualTo("revoked");
    }

    @Test
    void rawDatabaseFileHoldsNoTokenInClear() throws Exception {
        if (kind != TestDatabases.Kind.SQLITE) {
            return; // PostgreSQL rows are checked through SQL above; the file check is for the embedded store
        }
        String projectId = new ProjectRepository(database.jdbi(), clock, ServerConfig.DEFAULT_CACHE_TTL).create("acme").id();
        new ConnectedUserRepository(database.jdbi(), clock).ensure(projectId, "u1");
        new CredentialStore(database.jdbi(), secretBox, clock, ServerConfig.DEFAULT_CACHE_TTL).insert(new CredentialStore.NewCredential(projectId, "u1", "slack",
                "xoxb-needle-in-file", null, null, null, null, null));
        database.close();
        database = Database.open(dbUrl, dataDir); // checkpoint happened on close
        byte[] all = Files.readAllBytes(dataDir.resolve("switchboard.db"));
        Path wal = dataDir.resolve("switchboard.db-wal");
        String text = new String(all, java.nio.charset.StandardCharsets.ISO_8859_1)
                + (Files.exists(wal) ? new String(Files.readAllBytes(wal), java.nio.charset.StandardCharsets.ISO_8859_1) : "");
        assertThat(text).contains(projectId).doesNotContain("xoxb-needle-in-file");
    }

    @Test
    void integrationConfigUpsertReplacesAndKeepsSecretSealed() {
        String projectId = new ProjectRepository(database.jdbi(), clock, ServerConfig.DEFAULT_CACHE_TTL).create("acme").id();
        IntegrationConfigRepository configs = new IntegrationConfigRepository(database.jdbi(), secretBox, clock, ServerConfig.DEFAULT_CACHE_TTL);
        configs.upsert(new IntegrationConfig(projectId, "slack", true, "cid", "client-secret-1", List.of("chat:write"), Map.of("api", "http://a")));
        configs.upsert(new IntegrationConfig(projectId, "slack", false, "cid2", "client-secret-2", List.of(), Map.of()));

        IntegrationConfig read = configs.find(projectId, "slack").orElseThrow();
        assertThat(read.enabled()).isFalse();
        assertThat(read.clientId()).isEqualTo("cid2");
        assertThat(read.clientSecret()).isEqualTo("client-secret-2");
        assertThat(configs.listEnabled(projectId)).isEmpty();
        String raw = database.jdbi().withHandle(h -> h.createQuery("SELECT client_secret_enc FROM integration_configs").mapTo(String.class).one());
        assertThat(raw).doesNotContain("client-secret");
    }

    @Test
    void signingKeysAreUniquePerProjectAndRetire() {
        String projectId = new ProjectRepository(database.jdbi(), clock, ServerConfig.DEFAULT_CACHE_TTL).create("acme").id();
        SigningKeyRepository keys = new SigningKeyRepository(database.jdbi(), clock, ServerConfig.DEFAULT_CACHE_TTL);
        assertThat(keys.add(projectId, "k1", "pem1")).isTrue();
        assertThat(keys.add(projectId, "k1", "pem1")).isFalse();
        assertThat(keys.retire(projectId, "k1")).isTrue();
        assertThat(keys.retire(projectId, "k1")).isFalse();
        assertThat(keys.list(projectId)).singleElement().satisfies(k -> assertThat(k.active()).isFalse());
    }

    @Test
    void runsAreListedNewestFirstWithFilters() {
        String projectId = new ProjectRepository(database.jdbi(), clock, ServerConfig.DEFAULT_CACHE_TTL).create("acme").id();
        RunWriter runs = new RunWriter(database.jdbi());
        RunQueries queries = new RunQueries(database.jdbi(), runs);
        runs.insert(new Run("r1", projectId, "u1", "SLACK_SEND_MESSAGE", "slack", null, "SUCCEEDED", 200, null, 5, "req_1", 1000, null));
        runs.insert(new Run("r2", projectId, "u2", "SLACK_LIST_MEMBERS", "slack", null, "FAILED", 400, "integration_error", 7, "req_2", 2000, null));

        assertThat(queries.list(projectId, new RunQueries.RunFilter(null, null, null, 10))).extracting(Run::id).containsExactly("r2", "r1");
        assertThat(queries.list(projectId, new RunQueries.RunFilter("u1", null, null, 10))).extracting(Run::id).containsExactly("r1");
        assertThat(queries.list(projectId, new RunQueries.RunFilter(null, "SLACK_LIST_MEMBERS", "FAILED", 10))).hasSize(1);
        assertThat(queries.list(projectId, new RunQueries.RunFilter(null, null, null, 1))).hasSize(1);
        assertThat(queries.list("other", new RunQueries.RunFilter(null, null, null, 10))).isEmpty();
    }

    @Test
    void aRunTheStoreRefusesCostsNotTheRunsBatchedWithIt() {
        String projectId = new ProjectRepository(database.jdbi(), clock, ServerConfig.DEFAULT_CACHE_TTL).create("acme").id();
        try (RunWriter runs = new RunWriter(database.jdbi())) {
            RunQueries queries = new RunQueries(database.jdbi(), runs);
            // Queued together, so that the writer stores them in one batch; the repeated id fails that batch.
            for (String id : List.of("r1", "r2", "r1", "r3")) {
                runs.insert(new Run(id, projectId, "u1", "SLACK\u0000SEND", "slack", null, "FAILED", 400,
                        "unknown_action", 1, "req_" + id, 1000, null));
            }
            List<Run> stored = queries.list(projectId, new RunQueries.RunFilter(null, null, null, 10));
            assertThat(stored).extracting(Run::id).containsExactlyInAnyOrder("r1", "r2", "r3");
            assertThat(stored).extracting(Run::action).containsOnly("SLACK\uFFFDSEND");
        }
    }

    @Test
    void anUnknownActionNameLongerThanItsColumnIsCutNotRefused() {
        String projectId = new ProjectRepository(database.jdbi(), clock, ServerConfig.DEFAULT_CACHE_TTL).create("acme").id();
        try (RunWriter runs = new RunWriter(database.jdbi())) {
            RunQueries queries = new RunQueries(database.jdbi(), runs);
            runs.insert(new Run("r1", projectId, "u1", "X".repeat(300), null, null, "FAILED", 400,
                    "unknown_action", 1, "req_r1", 1000, null));
            assertThat(queries.list(projectId, new RunQueries.RunFilter(null, null, null, 10)))
                    .singleElement().satisfies(run -> assertThat(run.action()).isEqualTo("X".repeat(128)));
        }
    }

    @Test
    void runsRecordedConcurrentlyAreAllStoredAndCloseStoresWhatIsQueued() throws Exception {
        String projectId = new ProjectRepository(database.jdbi(), clock, ServerConfig.DEFAULT_CACHE_TTL).create("acme").id();
        RunWriter runs = new RunWriter(database.jdbi());
        RunQueries queries = new RunQueries(database.jdbi(), runs);
        try (var threads = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 3000; i++) {
                String id = "r" + i;
                threads.submit(() -> runs.insert(new Run(id, projectId, "u1", "SLACK_SEND_MESSAGE", "slack", null,
                        "SUCCEEDED", 200, null, 1, "req_" + id, 1000, null)));
            }
        }
        runs.close();

        List<Run> stored = queries.list(projectId, new RunQueries.RunFilter(null, null, null, 5000)); // after close: reads what close stored
        assertThat(stored).hasSize(3000);
        assertThat(stored).extracting(Run::id).doesNotHaveDuplicates();
    }

    @Test
    void aFullRunQueueNeverBlocksAnEventLoop() throws Exception {
        String projectId = new ProjectRepository(database.jdbi(), clock, ServerConfig.DEFAULT_CACHE_TTL).create("acme").id();
        try (RunWriter runs = new RunWriter(database.jdbi()); org.jdbi.v3.core.Handle holder = database.jdbi().open()) {
            // Another connection holds the runs table: the writer's first batch waits for it, and the queue fills.
            holder.begin();
            holder.execute(kind == TestDatabases.Kind.POSTGRES ? "LOCK TABLE runs IN ACCESS EXCLUSIVE MODE" : "DELETE FROM runs WHERE 1 = 0");
            for (int i = 0; i < 50_000; i++) {
                runs.insert(new Run("q" + i, projectId, "u1", "SLACK_SEND_MESSAGE", "slack", null, "SUCCEEDED", 200, null, 1, "req", 1000, null));
            }
            assertThat(runs.backedUp()).isTrue();

            java.util.concurrent.CompletableFuture<Void> onLoop = new java.util.concurrent.CompletableFuture<>();
            new dev.switchboard.blocking.Blocking.LoopThread(() -> {
                runs.insert(new Run("from-the-loop", projectId, "u1", "SLACK_SEND_MESSAGE", "slack", null, "SUCCEEDED", 200, null, 1,
                        "req", 1000, null));
                onLoop.complete(null);
            }, "test-loop").start();
            onLoop.get(2, java.util.concurrent.TimeUnit.SECONDS); // while the store is still held: the loop did not wait for it

            holder.rollback();
            RunQueries queries = new RunQueries(database.jdbi(), runs);
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
            int stored = 0;
            while (stored < 50_001 && System.nanoTime() < deadline) {
                Thread.sleep(100);
                stored = database.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM runs WHERE project_id = :p")
                        .bind("p", projectId).mapTo(Integer.class).one());
            }
            assertThat(stored).as("every run is stored once the store is free, the loop's too").isEqualTo(50_001);
            assertThat(queries.list(projectId, new RunQueries.RunFilter(null, null, null, 100_000))).extracting(Run::id).contains("from-the-loop");
        }
    }

    @Test
    void theRunsWriterHoldsNoLockBetweenBatches() {
        ProjectRepository projects = new ProjectRepository(database.jdbi(), clock, ServerConfig.DEFAULT_CACHE_TTL);
        String projectId = projects.create("acme").id();
        try (RunWriter runs = new RunWriter(database.jdbi())) {
            RunQueries queries = new RunQueries(database.jdbi(), runs);
            runs.insert(new Run("r1", projectId, "u1", "SLACK_SEND_MESSAGE", "slack", null, "SUCCEEDED", 200, null, 5, "req_1", 1000, null));
            assertThat(queries.list(projectId, new RunQueries.RunFilter(null, null, null, 10))).hasSize(1); // the writer has written

            // SQLite allows one writer: a transaction the runs writer left open would make this fail as "database is locked".
            assertThat(projects.create("globex").id()).isNotBlank();
        }
    }

    @Test
    void readThenWriteTransactionsSucceedWhileRunsAreCommitted() throws Exception {
        ProjectRepository projects = new ProjectRepository(database.jdbi(), clock, ServerConfig.DEFAULT_CACHE_TTL);
        String projectId = projects.create("acme").id();
        new ConnectedUserRepository(database.jdbi(), clock).ensure(projectId, "u1");
        CredentialStore store = new CredentialStore(database.jdbi(), secretBox, clock, ServerConfig.DEFAULT_CACHE_TTL);
        java.util.concurrent.atomic.AtomicBoolean recording = new java.util.concurrent.atomic.AtomicBoolean(true);
        try (RunWriter runs = new RunWriter(database.jdbi());
             var recorder = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            recorder.submit(() -> {
                for (int i = 0; recording.get(); i++) {
                    runs.insert(new Run(Run.newId(), projectId, "u1", "SLACK_SEND_MESSAGE", "slack", null,
                            "SUCCEEDED", 200, null, 1, "req_" + i, 1000, null));
                    Thread.sleep(0, 200_000);
                }
                return null;
            });
            try {
                // Deleting an account reads, then writes, in one transaction; a commit of runs in between must not fail it.
                for (int i = 0; i < 100; i++) {
                    Credential saved = store.insert(new CredentialStore.NewCredential(projectId, "u1", "slack", "xoxb-" + i,
                            null, null, null, null, Map.of()));
                    assertThat(store.delete(projectId, "u1", "slack", saved.id())).containsExactly(saved.id());
                }
            } finally {
                recording.set(false);
            }
        }
    }
}
