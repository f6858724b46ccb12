package dev.switchboard.calls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.config.ServerConfig.VendorTimeouts;
import dev.switchboard.testing.Http.Answer;
import dev.switchboard.testing.ScriptedVendor;
import dev.switchboard.testing.TestDatabases;
import dev.switchboard.testing.TestServer.Project;
import dev.switchboard.testing.TestServer;
import dev.switchboard.testing.Tokens;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** One user's many slow calls take that user's places only: the excess is refused at once, other tenants go on. */
class FairnessTest {
    private static final ScriptedVendor vendor = new ScriptedVendor();
    private static TestServer server;
    private static Project project;
    private static Project otherProject;

    @BeforeAll
    static void start() {
        vendor.behave(ScriptedVendor.byPath("/slow", ScriptedVendor.hang(),
                ScriptedVendor.answer(200, "application/json", "{\"ok\":true,\"members\":[]}")));
        server = TestServer.start(TestDatabases.Kind.SQLITE, new VendorTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(4), Duration.ofSeconds(1)));
        project = server.createProject("fairness");
        otherProject = server.createProject("fairness-other");
        for (Project p : List.of(project, otherProject)) {
            server.configureIntegration(p.id(), "slack", vendor.baseUrl() + "/api");
            server.importCredential(p.id(), "greedy", "slack", "xoxb-greedy");
            server.importCredential(p.id(), "modest", "slack", "xoxb-modest");
            server.importCredential(p.id(), "downloader", "slack", "xoxb-downloader");
        }
    }

    @AfterAll
    static void stop() {
        server.close();
        vendor.close();
    }

    private static Answer proxy(Project p, String user, String path) {
        return server.user("GET", "/projects/" + p.id() + "/sdk/proxy/slack/" + path, Tokens.sign(p.privateKeyPem(), user, c -> c), null, Map.of());
    }

    @Test
    void aUsersCallsBeyondItsShareAreRefusedAtOnceWhileOthersAreServed() throws Exception {
        int calls = ConcurrencyLimits.PER_USER + 8;
        List<CompletableFuture<Answer>> greedy = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < calls; i++) {
                greedy.add(CompletableFuture.supplyAsync(() -> proxy(project, "greedy", "slow"), threads));
            }
            Thread.sleep(1000); // the greedy calls are under way, hanging at the vendor
            long started = System.nanoTime();
            Answer modest = proxy(project, "modest", "users.list");
            Answer elsewhere = proxy(otherProject, "greedy", "users.list");
            assertThat(modest.status()).as(modest.text()).isEqualTo(200);
            assertThat(elsewhere.status()).as("the same user id in another project is another tenant").isEqualTo(200);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
        }
        List<Answer> answers = greedy.stream().map(CompletableFuture::join).toList();
        List<Answer> refused = answers.stream().filter(a -> a.status() == 429).toList();
        assertThat(refused).hasSize(calls - ConcurrencyLimits.PER_USER);
        assertThat(refused).allSatisfy(a -> {
            assertThat(a.json().get("code").asString()).isEqualTo("too_many_concurrent_calls");
            assertThat(a.header("Retry-After")).isEqualTo("1");
        });
        assertThat(answers).filteredOn(a -> a.status() != 429).allSatisfy(a -> assertThat(a.status()).isEqualTo(504));

        // every place was given back: the user can call again
        assertThat(proxy(project, "greedy", "users.list").status()).isEqualTo(200);
    }

    @Test
    void aStreamedAnswerGivesItsPlaceBackWhenItEnds() {
        // more streamed downloads, one after another, than the user has places: none may keep its place
        for (int i = 0; i < ConcurrencyLimits.PER_USER + 8; i++) {
            Answer answer = server.user("GET", "/projects/" + project.id() + "/sdk/proxy/slack/files.get", Tokens.sign(project.privateKeyPem(),
                    "downloader", c -> c), null, Map.of("X-Paragon-Use-Raw-Response", "1"));
            assertThat(answer.status()).as("download %d: %s", i + 1, answer.text()).isEqualTo(200);
        }
    }
}
