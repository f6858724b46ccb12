package dev.switchboard.http.loop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.cli.Main;
import dev.switchboard.testing.Http;
import dev.switchboard.testing.ScriptedVendor;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node whose store stalls (another connection holds SQLite's write lock) while its run queue is full
 * ({@code run-queue-max} 5): the event loops take no new request, the ordinary path serves it and waits for the store
 * to record its run, the loops go on answering what needs no store, and once the store is free every run is there.
 */
class LoopRunQueueTest {
    private static final int QUEUE_MAX = 5;

    @TempDir
    Path dir;

    @Test
    void aFullRunQueueHandsRequestsToTheOrdinaryPathWhichWaitsForTheStoreAndNoRunIsLost() throws Exception {
        try (ScriptedVendor vendor = new ScriptedVendor();
             LoopNode node = LoopNode.start(dir, Main.class.getName(), Map.of("SWITCHBOARD_RUN_QUEUE_MAX", String.valueOf(QUEUE_MAX)))) {
            String[] connected = node.connectGoogleDrive(Map.of("api", vendor.baseUrl() + "/drive/v3"), "ya29.queue");
            String proxy = node.base() + "/projects/" + connected[0] + "/sdk/proxy/googledrive/files";
            Map<String, String> user = Map.of("Authorization", "Bearer " + connected[1]);
            assertThat(Http.send("GET", proxy, user, null).status()).as("a first call warms the caches").isEqualTo(200);
            String store = "jdbc:sqlite:" + dir.resolve("data/switchboard.db");
            awaitRuns(store, 1);

            CompletableFuture<Http.Answer> waiting;
            try (Connection holder = DriverManager.getConnection(store)) {
                holder.setAutoCommit(false);
                try (Statement lock = holder.createStatement()) {
                    lock.execute("DELETE FROM runs WHERE 1 = 0"); // takes the write lock until the rollback
                }
                for (int i = 0; i < QUEUE_MAX; i++) {
                    long started = System.nanoTime();
                    assertThat(Http.send("GET", proxy, user, null).status()).isEqualTo(200);
                    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).as("served on the loop, its run queued")
                            .isLessThan(2_000);
                }

                waiting = CompletableFuture.supplyAsync(() -> Http.send("GET", proxy, user, null));
                Thread.sleep(1_500);
                assertThat(waiting).as("past the queue's bound, a request waits for the store to take its run").isNotDone();
                long started = System.nanoTime();
                assertThat(Http.send("GET", node.base() + "/healthz", Map.of(), null).status()).isEqualTo(200);
                assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).as("the loops are not held up").isLessThan(1_000);
                assertThat(node.metrics()).contains("switchboard_loop_requests_total{outcome=\"runs_backed_up\",route=\"proxy\"} 1.0");
                holder.rollback();
            }

            assertThat(waiting.get(30, TimeUnit.SECONDS).status()).isEqualTo(200);
            awaitRuns(store, 1 + QUEUE_MAX + 1);
            assertThat(Http.send("GET", proxy, user, null).status()).isEqualTo(200);
            assertThat(node.metrics()).as("the writer caught up: the loops serve again")
                    .containsPattern("switchboard_loop_requests_total\\{outcome=\"served\",route=\"proxy\"} " + (1 + QUEUE_MAX + 1) + "\\.0");
        }
    }

    /** Waits (up to 30 s) until the store holds this many runs, and fails naming how many it holds when it does not. */
    private static void awaitRuns(String store, int expected) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        int stored = -1;
        while (System.nanoTime() < deadline) {
            try (Connection reader = DriverManager.getConnection(store); Statement count = reader.createStatement();
                 ResultSet rows = count.executeQuery("SELECT COUNT(*) FROM runs")) {
                stored = rows.getInt(1);
            }
            if (stored == expected) {
                return;
            }
            Thread.sleep(100);
        }
        assertThat(stored).as("runs stored").isEqualTo(expected);
    }
}
