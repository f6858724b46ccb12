package dev.switchboard;

import dev.switchboard.actions.ActionLister;
import dev.switchboard.actions.ActionRunner;
import dev.switchboard.actions.IdempotentRuns;
import dev.switchboard.auth.AdminAuth;
import dev.switchboard.auth.UserTokenVerifier;
import dev.switchboard.calls.AccountSelector;
import dev.switchboard.calls.Protocols;
import dev.switchboard.calls.VendorCalls;
import dev.switchboard.config.DataDirSecrets;
import dev.switchboard.config.ServerConfig;
import dev.switchboard.credentials.CredentialRefresher;
import dev.switchboard.credentials.TokenEndpoint;
import dev.switchboard.crypto.SecretBox;
import dev.switchboard.http.ConnectionGuards;
import dev.switchboard.http.Cors;
import dev.switchboard.http.ErrorResponses;
import dev.switchboard.http.RequestIds;
import dev.switchboard.http.UserAuthenticator;
import dev.switchboard.integrations.IntegrationCatalog;
import dev.switchboard.json.Json;
import dev.switchboard.outbound.AnonymousVendorClient;
import dev.switchboard.outbound.AnswerMemory;
import dev.switchboard.outbound.JettyTransport;
import dev.switchboard.outbound.VendorClient;
import dev.switchboard.outcomes.Failure;
import dev.switchboard.routes.actionkit.ActionRoutes;
import dev.switchboard.routes.admin.AdminRoutes;
import dev.switchboard.routes.connect.ConnectRoutes;
import dev.switchboard.routes.connect.IntegrationIcons;
import dev.switchboard.routes.mcp.McpRoutes;
import dev.switchboard.routes.mcp.McpToolHandler;
import dev.switchboard.routes.proxy.ProxyRoutes;
import dev.switchboard.routes.users.UserRoutes;
import dev.switchboard.store.ConnectedUserRepository;
import dev.switchboard.store.CredentialStore;
import dev.switchboard.store.Database;
import dev.switchboard.store.IdempotencyKeys;
import dev.switchboard.store.IntegrationConfigRepository;
import dev.switchboard.store.OAuthStates;
import dev.switchboard.store.SdkSessions;
import dev.switchboard.store.ProjectRepository;
import dev.switchboard.store.RunQueries;
import dev.switchboard.store.RunWriter;
import dev.switchboard.store.SigningKeyRepository;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.json.JavalinJackson3;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Builds one Switchboard node from its config, and starts and stops it. */
public final class SwitchboardServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SwitchboardServer.class);

    private final Database database;
    private final JettyTransport transport;
    private final RunWriter runs;
    private final PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gcMetrics = new JvmGcMetrics();
    private final Javalin app;

    private SwitchboardServer(ServerConfig config, CredentialRefresher.Steps refreshSteps,
                              java.util.concurrent.CompletableFuture<IntegrationCatalog> catalogLoading) {
        Clock clock = Clock.systemUTC();
        String adminToken = config.adminToken() != null ? config.adminToken()
                : DataDirSecrets.readOrCreate(config.dataDir().resolve("admin-token"), DataDirSecrets::randomToken);
        if (config.adminToken() == null) {
            LOG.info("operator secret: read it from {} (SWITCHBOARD_ADMIN_TOKEN overrides it)", config.dataDir().resolve("admin-token"));
        }
        String masterKey = config.masterKey() != null ? config.masterKey()
                : DataDirSecrets.readOrCreate(config.dataDir().resolve("master-key"), () -> DataDirSecrets.randomBase64(32));
        SecretBox secretBox = new SecretBox(masterKey);

        this.database = Database.open(config.dbUrl(), config.dataDir());
        LOG.info("store: {}", database.isPostgres() ? "PostgreSQL" : "SQLite in " + config.dataDir());
        new JvmMemoryMetrics().bindTo(meters);
        new JvmThreadMetrics().bindTo(meters);
        gcMetrics.bindTo(meters);

        ProjectRepository projects = new ProjectRepository(database.jdbi(), clock, config.cacheTtl());
        SigningKeyRepository signingKeys = new SigningKeyRepository(database.jdbi(), clock, config.cacheTtl());
        IntegrationConfigRepository configs = new IntegrationConfigRepository(database.jdbi(), secretBox, clock, config.cacheTtl());
        ConnectedUserRepository users = new ConnectedUserRepository(database.jdbi(), clock);
        CredentialStore credentials = new CredentialStore(database.jdbi(), secretBox, clock, config.cacheTtl());
        this.runs = new RunWriter(database.jdbi());
        RunQueries runQueries = new RunQueries(database.jdbi(), runs);
        AnswerMemory answerMemory = AnswerMemory.ofThisHeap();
        this.transport = JettyTransport.start(config.vendorTimeouts().connect(), config.vendorTimeouts().attempt(), meters,
                answerMemory.maxAnswerBytes());
        AnonymousVendorClient anonymous = new AnonymousVendorClient(transport, config.vendorTimeouts());
        TokenEndpoint tokenEndpoint = new TokenEndpoint(anonymous);
        // Everything above is built while the catalog loads; from here on the parts need it.
        IntegrationCatalog catalog;
        try {
            catalog = catalogLoading.join();
        } catch (java.util.concurrent.CompletionException e) {
            closeQuietly(transport);
            database.close();
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
        CredentialRefresher refresher = new CredentialRefresher(credentials, catalog, configs, tokenEndpoint, clock, meters,
                Duration.ofSeconds(Long.getLong("switchboard.refreshLeaseSeconds", 30)), refreshSteps);
        VendorClient vendors = new VendorClient(transport, config.vendorTimeouts(), refresher, Protocols.all());

        AccountSelector accounts = new AccountSelector(configs, credentials);
        VendorCalls calls = new VendorCalls(accounts, vendors, credentials, runs, meters, clock, ErrorResponses::status, answerMemory);
        UserAuthenticator userAuth = new UserAuthenticator(projects, new UserTokenVerifier(signingKeys, clock, config.publicHost(),
                UserTokenVerifier.DEFAULT_CACHED_TOKENS), users);
        ActionRunner runner = new ActionRunner(catalog, calls, projects);
        ActionLister lister = new ActionLister(catalog, configs, credentials, runner);
        IdempotentRuns idempotentRuns = new IdempotentRuns(runner, new IdempotencyKeys(database.jdbi(), secretBox, clock), clock);
        ActionRoutes actionRoutes = new ActionRoutes(userAuth, lister, idempotentRuns);
        McpRoutes mcpRoutes = new McpRoutes(userAuth, new McpToolHandler(lister, idempotentRuns), config.publicUrl());
        ProxyRoutes proxyRoutes = new ProxyRoutes(userAuth, catalog, calls);
        UserRoutes userRoutes = new UserRoutes(userAuth, configs, credentials, users, catalog, config.publicUrl());
        ConnectRoutes connectRoutes = new ConnectRoutes(userAuth, projects, catalog, configs, accounts, credentials,
                new OAuthStates(database.jdbi(), secretBox, clock), new SdkSessions(database.jdbi(), clock), tokenEndpoint, anonymous,
                config.publicUrl(), clock);
        IntegrationIcons icons = new IntegrationIcons(catalog);
        AdminRoutes adminRoutes = new AdminRoutes(new AdminAuth(adminToken), projects, signingKeys, configs, users,
                credentials, runQueries, catalog);

        this.app = Javalin.create(javalin -> {
            // Selectors and acceptors on platform threads; each request's blocking work (the vendor call) on a
            // virtual thread. Javalin's own virtual-thread mode would run the selectors on virtual threads too,
            // which costs a hand-off through the JDK's poller on every read.
            QueuedThreadPool threads = new QueuedThreadPool(200, 4);
            threads.setName("switchboard-http");
            threads.setVirtualThreadsExecutor(Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("switchboard-request-", 0).factory()));
            javalin.jetty.threadPool = threads;
            // Bodies pass through as they are; compressing them would cost memory and change proxied bytes.
            javalin.http.compressionStrategy = io.javalin.compression.CompressionStrategy.NONE;
            javalin.jsonMapper(new JavalinJackson3(Json.MAPPER, false));
            javalin.startup.showJavalinBanner = false;
            javalin.jetty.port = config.port();
            // No dynamic header cache: it would match each request's whole Authorization header (a JWT) against
            // the headers of earlier requests, byte by byte, to save allocating one string.
            javalin.jetty.modifyHttpConfiguration(http -> http.setHeaderCacheSize(0));
            javalin.jetty.modifyServer(server -> {
                server.setErrorHandler(new ErrorResponses.JettyErrors());
                ConnectionGuards.install(server);
            });
            javalin.requestLogger.http((ctx, ms) -> LOG.info("{} {} {} -> {} in {} ms", RequestIds.of(ctx), ctx.method(),
                    ctx.path(), ctx.statusCode(), Math.round(ms)));
            javalin.routes.before(RequestIds::assign);
            javalin.routes.before(Cors::apply);
            javalin.routes.get("/healthz", this::health);
            javalin.routes.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(meters.scrape()));
            adminRoutes.register(javalin.routes);
            actionRoutes.register(javalin.routes);
            proxyRoutes.register(javalin.routes);
            userRoutes.register(javalin.routes);
            connectRoutes.register(javalin.routes);
            icons.register(javalin.routes);
            mcpRoutes.register(javalin.routes);
            javalin.routes.exception(Failure.class, (e, ctx) -> ErrorResponses.render(ctx, e));
            javalin.routes.exception(HttpResponseException.class, (e, ctx) -> fromJavalin(ctx, e));
            javalin.routes.exception(Exception.class, (e, ctx) -> {
                // The class and message only: a stack trace may carry request data into the log.
                LOG.error("{} internal error: {}: {}", RequestIds.of(ctx), e.getClass().getName(), e.getMessage());
                ErrorResponses.render(ctx, new Failure(Failure.Kind.INTERNAL, "internal_error",
                        "Switchboard failed to handle this request; the request id identifies it in the server log."));
            });
        });
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            LOG.warn("{} did not stop cleanly: {}", closeable.getClass().getSimpleName(), e.getMessage());
        }
    }

    private static void fromJavalin(Context ctx, HttpResponseException e) {
        switch (e.getStatus()) {
            case 404 -> ErrorResponses.render(ctx, 404, "not_found", "No such endpoint.", null);
            case 405 -> ErrorResponses.render(ctx, 405, "method_not_allowed", "This endpoint does not take this method.", null);
            default -> ErrorResponses.render(ctx, e.getStatus(), "http_" + e.getStatus(), e.getMessage(), null);
        }
    }

    private void health(Context ctx) {
        boolean healthy = database.isHealthy();
        ctx.status(healthy ? 200 : 503).json(Map.of("status", healthy ? "ok" : "database unavailable"));
    }

    public static SwitchboardServer start(ServerConfig config) {
        return start(config, CredentialRefresher.Steps.NONE);
    }

    /** @param refreshSteps told each step of every token refresh (tests stop a node there) */
    public static SwitchboardServer start(ServerConfig config, CredentialRefresher.Steps refreshSteps) {
        // The catalog loads on its own thread (its files side by side on the common pool) while the rest of the node
        // is built: with hundreds of actions it is the longest part of start-up.
        java.util.concurrent.CompletableFuture<IntegrationCatalog> catalog = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> IntegrationCatalog.load(config.dataDir().resolve("integrations"), config.dataDir().resolve("cache/definitions.json")),
                task -> Thread.ofPlatform().name("switchboard-catalog").start(task));
        SwitchboardServer server = new SwitchboardServer(config, refreshSteps, catalog);
        try {
            server.app.start();
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
        LOG.info("Switchboard listening on port {}", server.port());
        return server;
    }

    public int port() {
        return app.port();
    }

    @Override
    public void close() {
        app.stop();
        gcMetrics.close();
        closeQuietly(transport);
        runs.close();
        database.close();
    }
}
