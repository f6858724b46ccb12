package dev.switchboard.calls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.auth.UserPrincipal;
import dev.switchboard.config.DataDirSecrets;
import dev.switchboard.config.ServerConfig.VendorTimeouts;
import dev.switchboard.crypto.SecretBox;
import dev.switchboard.integrations.IntegrationCatalog;
import dev.switchboard.integrations.IntegrationDefinition;
import dev.switchboard.integrations.IntegrationLoader;
import dev.switchboard.outbound.AnswerMemory;
import dev.switchboard.outbound.Classification;
import dev.switchboard.outbound.Reauthorizer;
import dev.switchboard.outbound.VendorCall;
import dev.switchboard.outbound.VendorClient;
import dev.switchboard.outbound.VendorInterceptor;
import dev.switchboard.outbound.VendorRequest;
import dev.switchboard.outbound.VendorResponse;
import dev.switchboard.outbound.VendorTimeoutException;
import dev.switchboard.outbound.VendorUnreachableException;
import dev.switchboard.outbound.VendorUnreadableException;
import dev.switchboard.outcomes.Failure;
import dev.switchboard.store.ConnectedUserRepository;
import dev.switchboard.store.Credential;
import dev.switchboard.store.CredentialStore;
import dev.switchboard.store.Database;
import dev.switchboard.store.IntegrationConfigRepository.IntegrationConfig;
import dev.switchboard.store.IntegrationConfigRepository;
import dev.switchboard.store.ProjectRepository;
import dev.switchboard.store.Run;
import dev.switchboard.store.RunQueries;
import dev.switchboard.store.RunWriter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The one vendor-call path without a server: a real store (SQLite in a temporary folder), the real pipeline, and a
 * scripted last step in place of the network.
 */
class VendorCallsTest {
    private static final IntegrationDefinition SLACK = IntegrationLoader.load("slack", IntegrationCatalog.shipped().get("slack")).definition();

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private Database database;
    private RunWriter runs;
    private RunQueries runQueries;
    private CredentialStore credentials;
    private VendorCalls calls;
    private UserPrincipal user;
    private Credential credential;
    /** What the vendor does with the next call. */
    private Supplier<VendorResponse> vendor;

    @BeforeEach
    void open() throws Exception {
        Path dataDir = Files.createTempDirectory("calls-test");
        database = Database.open(null, dataDir);
        Clock clock = Clock.systemUTC();
        SecretBox box = new SecretBox(DataDirSecrets.randomBase64(32));
        String projectId = new ProjectRepository(database.jdbi(), clock, Duration.ZERO).create("calls").id();
        new ConnectedUserRepository(database.jdbi(), clock).ensure(projectId, "u1");
        IntegrationConfigRepository configs = new IntegrationConfigRepository(database.jdbi(), box, clock, Duration.ZERO);
        configs.upsert(new IntegrationConfig(projectId, "slack", true, null, null, List.of(), Map.of()));
        credentials = new CredentialStore(database.jdbi(), box, clock, Duration.ZERO);
        credential = credentials.insert(new CredentialStore.NewCredential(projectId, "u1", "slack", "xoxb-1", null, null, null, null, Map.of()));
        runs = new RunWriter(database.jdbi());
        runQueries = new RunQueries(database.jdbi(), runs);
        Reauthorizer noRefresh = new Reauthorizer() {
            public Credential beforeCall(Credential c) { return c; }
            public Credential afterRejection(Credential c) { return null; }
        };
        VendorInterceptor scripted = chain -> vendor.get();
        VendorClient client = new VendorClient(scripted, new VendorTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ZERO),
                noRefresh, Map.of(), meters);
        calls = new VendorCalls(new AccountSelector(configs, credentials), client, credentials, runs, meters, clock,
                failure -> failure.kind() == Failure.Kind.TIMEOUT ? 504 : 599, new AnswerMemory(512L << 20));
        user = new UserPrincipal(projectId, "u1", null);
    }

    @AfterEach
    void close() {
        runs.close();
        database.close();
    }

    private static VendorResponse answer(int status, String body) {
        return new VendorResponse(status, Map.of(), body.getBytes(StandardCharsets.UTF_8));
    }

    /** One recorded call of users.list, its failure mapped as an action's (a catalog endpoint) or the proxy's. */
    private int call(boolean catalogEndpoint) {
        return calls.recorded(user, "req_1", "SLACK_LIST_MEMBERS", run -> {
            run.identify("SLACK_LIST_MEMBERS", "slack");
            AccountSelector.Account account = calls.select(run, user, "slack", null);
            VendorCall call = calls.call(SLACK, account.credential(), true, false);
            VendorResponse response = calls.send(run, new VendorRequest(call, "GET", URI.create("https://slack.com/api/users.list"), Map.of(), null));
            if (response.classification().kind() != Classification.Kind.SUCCESS) {
                throw calls.failure(call, response, catalogEndpoint);
            }
            return 200;
        }, status -> status);
    }

    private Failure failureOf(boolean catalogEndpoint) {
        try {
            call(catalogEndpoint);
        } catch (Failure failure) {
            return failure;
        }
        throw new AssertionError("the call did not fail");
    }

    private Run lastRun() {
        return runQueries.list(user.projectId(), new RunQueries.RunFilter(null, null, null, 1)).get(0);
    }

    @Test
    void aSuccessIsRecordedWithItsAccountAndTimed() {
        vendor = () -> answer(200, "{\"ok\": true, \"members\": []}");
        assertThat(call(true)).isEqualTo(200);
        Run run = lastRun();
        assertThat(run.status()).isEqualTo("SUCCEEDED");
        assertThat(run.credentialId()).isEqualTo(credential.id());
        assertThat(run.integration()).isEqualTo("slack");
        assertThat(meters.get("switchboard.action.runs").tag("action", "SLACK_LIST_MEMBERS").tag("outcome", "succeeded").timer().count()).isEqualTo(1);
    }

    @Test
    void transportFailuresBecomeTheSameDomainFailures() {
        record Case(RuntimeException thrown, Failure.Kind kind, String code) {}
        for (Case c : List.of(new Case(new VendorTimeoutException("no answer"), Failure.Kind.TIMEOUT, "integration_timeout"),
                new Case(new VendorUnreachableException("refused"), Failure.Kind.UNREACHABLE, "integration_unreachable"),
                new Case(new VendorUnreadableException("not HTTP"), Failure.Kind.VENDOR_FAILED, "integration_response_unreadable"))) {
            vendor = () -> { throw c.thrown(); };
            Failure failure = failureOf(true);
            assertThat(failure.kind()).isEqualTo(c.kind());
            assertThat(failure.code()).isEqualTo(c.code());
            assertThat(failure.credentialId()).as("the failure names the account used").isEqualTo(credential.id());
            Run run = lastRun();
            assertThat(run.status()).isEqualTo("FAILED");
            assertThat(run.errorCode()).isEqualTo(c.code());
            assertThat(run.httpStatus()).as("the edge's status, kept in the record").isEqualTo(c.kind() == Failure.Kind.TIMEOUT ? 504 : 599);
        }
    }

    @Test
    void vendorAnswersBecomeFailuresWithTheVendorsStatusAndBody() {
        vendor = () -> answer(403, "{\"ok\": false, \"error\": \"missing_scope\"}");
        Failure refused = failureOf(true);
        assertThat(refused.kind()).isEqualTo(Failure.Kind.VENDOR_REFUSED);
        assertThat(refused.vendorAnswer().status()).isEqualTo(403);
        assertThat(refused.vendorAnswer().json().get("error").asString()).isEqualTo("missing_scope");

        vendor = () -> answer(502, "bad gateway");
        Failure failed = failureOf(true);
        assertThat(failed.kind()).isEqualTo(Failure.Kind.VENDOR_FAILED);
        assertThat(failed.vendorAnswer().text()).isEqualTo("bad gateway");

        vendor = () -> new VendorResponse(429, Map.of("Retry-After", List.of("30")), new byte[0]);
        Failure limited = failureOf(true);
        assertThat(limited.kind()).isEqualTo(Failure.Kind.RATE_LIMITED);
        assertThat(limited.retryAfter()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void aRejectedCredentialIsMarkedInvalidOnlyByACatalogEndpoint() {
        vendor = () -> answer(200, "{\"ok\": false, \"error\": \"invalid_auth\"}");
        Failure fromProxy = failureOf(false);
        assertThat(fromProxy.kind()).isEqualTo(Failure.Kind.CREDENTIAL_INVALID);
        assertThat(credentials.reload(credential).orElseThrow().status()).as("a proxied path speaks for itself only")
                .isEqualTo(Credential.Status.VALID);

        Failure fromAction = failureOf(true);
        assertThat(fromAction.code()).isEqualTo("credential_invalid");
        assertThat(credentials.reload(credential).orElseThrow().status()).isEqualTo(Credential.Status.INVALID);
        assertThat(credentials.reload(credential).orElseThrow().statusReason()).contains("invalid_auth");
    }

    @Test
    void aFailureBeforeAnAccountIsChosenIsRecordedWithoutOne() {
        assertThatThrownBy(() -> calls.recorded(user, "req_2", "NO_SUCH_ACTION", run -> {
            throw Failure.invalidInput("unknown_action", "Unknown action.");
        }, status -> 200)).isInstanceOfSatisfying(Failure.class, f -> assertThat(f.credentialId()).isNull());
        Run run = lastRun();
        assertThat(run.action()).isEqualTo("NO_SUCH_ACTION");
        assertThat(run.credentialId()).isNull();
        assertThat(run.status()).isEqualTo("FAILED");
    }
}
