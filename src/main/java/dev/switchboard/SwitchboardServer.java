package dev.switchboard;

import dev.switchboard.actions.ActionLister;
import dev.switchboard.actions.ActionRunner;
import dev.switchboard.actions.IdempotentRuns;
import dev.switchboard.auth.AdminAuth;
import dev.switchboard.auth.ConsoleSessions;
import dev.switchboard.routes.admin.Administration;
import dev.switchboard.routes.triggers.TriggerRoutes;
import dev.switchboard.store.TriggerEventRepository;
import dev.switchboard.store.TriggerSubscriptionRepository;
import dev.switchboard.store.TriggerWebhookRepository;
import dev.switchboard.triggers.SlackEvents;
import dev.switchboard.triggers.TriggerCatalog;
import dev.switchboard.triggers.TriggerDelivery;
import dev.switchboard.triggers.TriggerLoop;
import dev.switchboard.triggers.TriggerPoller;
import dev.switchboard.triggers.TriggerSubscriptions;
import dev.switchboard.auth.UserTokenVerifier;
import dev.switchboard.calls.AccountSelector;
import dev.switchboard.calls.Protocols;
import dev.switchboard.calls.VendorCalls;
import dev.switchboard.http.loop.EventLoops;
import dev.switchboard.http.loop.FrontDoor;
import dev.switchboard.http.loop.HotPath;
import dev.switchboard.http.loop.LoopVendorClient;
import dev.switchboard.http.loop.LoopRuns;
import dev.switchboard.routes.actionkit.ActionHotPath;
import dev.switchboard.routes.proxy.ProxyHotPath;
import dev.switchboard.config.DataDirSecrets;
import dev.switchboard.config.ServerConfig;
import dev.switchboard.credentials.CredentialRefresher;
import dev.switchboard.credentials.TokenEndpoint;
import dev.switchboard.crypto.SecretBox;
import dev.switchboard.http.ConnectionGuards;
import dev.switchboard.http.ConnectPage;
import dev.switchboard.http.Cors;
import dev.switchboard.http.Draining;
import dev.switchboard.http.JsonBodies;
import dev.switchboard.http.ErrorResponses;
import dev.switchboard.http.RequestIds;
import dev.switchboard.http.UserAuthenticator;
import dev.switchboard.integrations.IntegrationCatalog;
import dev.switchboard.json.Json;
import dev.switchboard.metrics.NodeMetrics;
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
import dev.switchboard.routes.reference.ReferenceRoutes;
import dev.switchboard.routes.users.UserRoutes;
import dev.switchboard.store.ConnectedUserRepository;
import dev.switchboard.store.ConsoleSessionRepository;
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
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jetty.JettyConnectionMetrics;
import io.micrometer.core.instrument.binder.jetty.JettyServerThreadPoolMetrics;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Builds one Switchboard node from its config, and starts and stops it. */
public final class SwitchboardServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SwitchboardServer.class);

    /** The access log: one line per request. Its own logger, so that a benchmark can silence it alone. */
    private static final Logger ACCESS = LoggerFactory.getLogger("dev.switchboard.access");
    public static final String VERSION = "0.1.0";
    private static final Duration PRUNE_EVERY = Duration.ofHours(1);
    private static final int PRUNE_BATCH = 1_000;

    private final ServerConfig config;
    private final Database database;
    private final JettyTransport transport;
    private final RunWriter runs;
    private final RunQueries runQueries;
    private final TriggerEventRepository triggerEvents;
    private final TriggerDelivery triggerDelivery;
    private final TriggerPoller triggerPoller;
    private final TriggerLoop triggerLoop;
    private final NodeMetrics metrics = new NodeMetrics();
    private final MeterRegistry meters = metrics.registry();
    private final dev.switchboard.metrics.MeterFamily<io.micrometer.core.instrument.Timer> httpRequests = dev.switchboard.metrics.MeterFamily.timers(meters, "switchboard.http.requests",
            "method", "route", "status");
    private final Draining draining = new Draining();
    /**
     * Whether the public port is the event loops' front door (issue 24), with Jetty behind it on loopback, or Jetty's
     * own: the door unless the {@code event-loop} setting is {@code off}.
     */
    private final boolean frontDoorOn;
    private ServerConnector publicConnector;
    private EventLoops loops;
    private FrontDoor frontDoor;
    private HotPath hotPath = HotPath.NONE;
    private final ScheduledExecutorService housekeeping = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("switchboard-housekeeping").daemon().factory());
    private final Javalin app;
    private volatile ServerConnector managementConnector;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    private SwitchboardServer(ServerConfig config, CredentialRefresher.Steps refreshSteps,
                              java.util.concurrent.CompletableFuture<IntegrationCatalog> catalogLoading) {
        this.config = config;
        this.frontDoorOn = !"off".equals(config.eventLoop());
        EventLoops.Transport loopTransport = frontDoorOn ? EventLoops.transport(config.eventLoop()) : null;
        Clock clock = Clock.systemUTC();
        String adminToken = config.adminToken() != null ? config.adminToken()
                : DataDirSecrets.readOrCreate(config.dataDir().resolve("admin-token"), DataDirSecrets::randomToken);
        if (config.adminToken() == null) {
            LOG.info("operator secret: read it from {} (SWITCHBOARD_ADMIN_TOKEN overrides it)", config.dataDir().resolve("admin-token"));
        }
        String masterKey = config.masterKey() != null ? config.masterKey()
                : DataDirSecrets.readOrCreate(config.dataDir().resolve("master-key"), () -> DataDirSecrets.randomBase64(32));
        SecretBox secretBox = new SecretBox(masterKey);

        // The vendor client first: its Micrometer binder configures a meter filter, which must come before any meter.
        AnswerMemory answerMemory = AnswerMemory.ofThisHeap();
        this.transport = JettyTransport.start(config.vendorTimeouts().connect(), config.vendorTimeouts().attempt(), meters,
                answerMemory.maxAnswerBytes());
        Database opened;
        try {
            opened = Database.open(config.dbUrl(), config.dbPassword(), config.dataDir(), meters);
        } catch (RuntimeException e) {
            closeQuietly(transport);
            throw e;
        }
        this.database = opened;
        LOG.info("store: {}", database.isPostgres() ? "PostgreSQL" : "SQLite in " + config.dataDir());
        metrics.bindJvmAndProcess();

        ProjectRepository projects = new ProjectRepository(database.jdbi(), clock, config.cacheTtl());
        SigningKeyRepository signingKeys = new SigningKeyRepository(database.jdbi(), clock, config.cacheTtl());
        IntegrationConfigRepository configs = new IntegrationConfigRepository(database.jdbi(), secretBox, clock, config.cacheTtl());
        ConnectedUserRepository users = new ConnectedUserRepository(database.jdbi(), clock);
        CredentialStore credentials = new CredentialStore(database.jdbi(), secretBox, clock, config.cacheTtl());
        projects.bindCacheMetrics(meters);
        signingKeys.bindCacheMetrics(meters);
        configs.bindCacheMetrics(meters);
        credentials.bindCacheMetrics(meters);
        this.runs = new RunWriter(database.jdbi(), config.runQueueMax());
        this.runQueries = new RunQueries(database.jdbi(), runs);
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
        VendorClient vendors = new VendorClient(transport, config.vendorTimeouts(), refresher, Protocols.all(), meters);

        AccountSelector accounts = new AccountSelector(configs, credentials);
        VendorCalls calls = new VendorCalls(accounts, vendors, credentials, runs, meters, clock, ErrorResponses::status, answerMemory);
        UserTokenVerifier tokens = new UserTokenVerifier(signingKeys, clock, config.publicHost(), UserTokenVerifier.DEFAULT_CACHED_TOKENS);
        tokens.bindCacheMetrics(meters);
        UserAuthenticator userAuth = new UserAuthenticator(projects, tokens, users);
        ActionRunner runner = new ActionRunner(catalog, calls, projects);
        ActionLister lister = new ActionLister(catalog, configs, credentials, runner);
        IdempotentRuns idempotentRuns = new IdempotentRuns(runner, new IdempotencyKeys(database.jdbi(), secretBox, clock), clock);
        ActionRoutes actionRoutes = new ActionRoutes(userAuth, lister, idempotentRuns, calls);
        McpRoutes mcpRoutes = new McpRoutes(userAuth, new McpToolHandler(lister, idempotentRuns), config.publicUrl());
        if (frontDoorOn) {
            this.loops = new EventLoops(Runtime.getRuntime().availableProcessors(), loopTransport);
            LoopRuns loopRuns = new LoopRuns(calls, vendors, new LoopVendorClient(loops, config.vendorTimeouts().connect(),
                    config.vendorTimeouts().attempt(), answerMemory.maxAnswerBytes(), meters), draining, this::logAndMeasure, meters, this::withConnectPage);
            this.hotPath = HotPath.of(List.of(new ActionHotPath(userAuth, runner, loopRuns), new ProxyHotPath(userAuth, catalog, calls, loopRuns, meters)));
        }
        ProxyRoutes proxyRoutes = new ProxyRoutes(userAuth, catalog, calls, meters);
        UserRoutes userRoutes = new UserRoutes(userAuth, configs, credentials, users, catalog, config.publicUrl());
        ConnectRoutes connectRoutes = new ConnectRoutes(userAuth, projects, catalog, configs, accounts, credentials,
                new OAuthStates(database.jdbi(), secretBox, clock), new SdkSessions(database.jdbi(), clock), tokenEndpoint, anonymous,
                config.publicUrl(), clock);
        IntegrationIcons icons = new IntegrationIcons(catalog);
        AdminAuth metricsAuth = new AdminAuth(config.metricsToken() != null ? config.metricsToken() : adminToken, "metrics token");
        TriggerCatalog triggers = TriggerCatalog.load(catalog.integrationKeys(), TriggerCatalog.listActions(catalog));
        TriggerSubscriptionRepository triggerSubscriptions = new TriggerSubscriptionRepository(database.jdbi(), clock);
        this.triggerEvents = new TriggerEventRepository(database.jdbi(), clock, database.isPostgres());
        TriggerWebhookRepository triggerWebhooks = new TriggerWebhookRepository(database.jdbi(), secretBox, config.cacheTtl());
        String nodeId = java.util.UUID.randomUUID().toString(); // this node, as its claims on trigger work name it
        Duration triggerLease = Duration.ofSeconds(Long.getLong("switchboard.triggerLeaseSeconds", TriggerDelivery.Settings.DEFAULTS.lease().toSeconds()));
        this.triggerDelivery = new TriggerDelivery(triggerEvents, triggerSubscriptions, triggerWebhooks, clock, nodeId,
                new TriggerDelivery.Settings(config.triggerRetryHorizon(), triggerLease,
                        TriggerDelivery.Settings.DEFAULTS.timeout()), meters);
        this.triggerPoller = new TriggerPoller(triggers, triggerSubscriptions, runner, clock, nodeId, triggerLease,
                database.isPostgres());
        this.triggerLoop = new TriggerLoop(triggerPoller, triggerDelivery, clock, config.triggerDeliveryInterval());
        TriggerRoutes triggerRoutes = new TriggerRoutes(userAuth, new TriggerSubscriptions(triggers, configs, accounts, triggerSubscriptions, runner),
                new SlackEvents(configs, triggers, triggerSubscriptions, triggerEvents, triggerLoop::wake, clock));
        ConsoleSessions consoleSessions = new ConsoleSessions(adminToken, new ConsoleSessionRepository(database.jdbi(), clock), clock);
        AdminRoutes adminRoutes = new AdminRoutes(new AdminAuth(adminToken), consoleSessions, new Administration(projects, signingKeys,
                configs, users, credentials, runQueries, catalog, triggerWebhooks, triggerEvents, triggerSubscriptions, triggerLoop::wake));

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
            // No dynamic header cache: it would match each request's whole Authorization header (a JWT) against
            // the headers of earlier requests, byte by byte, to save allocating one string.
            javalin.jetty.modifyHttpConfiguration(http -> http.setHeaderCacheSize(0));
            javalin.jetty.modifyServer(server -> {
                server.setErrorHandler(new ErrorResponses.JettyErrors());
                ConnectionGuards.install(server);
                new JettyServerThreadPoolMetrics(threads, Tags.empty()).bindTo(meters);
            });
            javalin.jetty.modifyServletContextHandler(context -> context.insertHandler(draining));
            // The public connector first (Javalin's port() is the first connector's), then the management one if asked.
            // With the front door (issue 24) Jetty's public connector listens on loopback only, behind the door, which
            // tells it each client's address by the PROXY protocol.
            javalin.jetty.addConnector((server, http) -> {
                this.publicConnector = frontDoorOn ? ordinaryPathBehindTheDoor(server, http) : connector(server, http, "public", config.port());
                return publicConnector;
            });
            if (config.managementPort() >= 0) {
                javalin.jetty.addConnector((server, http) -> {
                    this.managementConnector = connector(server, http, "management", config.managementPort());
                    return managementConnector;
                });
            }
            javalin.appData(JsonBodies.MAX_BYTES, config.maxBodyBytes());
            javalin.requestLogger.http(this::logAndMeasure);
            javalin.routes.before(RequestIds::assign);
            javalin.routes.before(this::managementPortServesProbesOnly);
            javalin.routes.before(Cors::apply);
            javalin.http.prefer405over404 = true;
            javalin.routes.get("/", ctx -> ctx.json(Map.of("service", "Switchboard", "version", VERSION,
                    "description", "Runs actions on your users' connected SaaS accounts through one ActionKit-compatible API.",
                    "health", "/healthz", "readiness", "/readyz", "api", "/openapi.json", "reference", "/reference")));
            javalin.routes.get("/healthz", ctx -> ctx.json(Map.of("status", "ok")));
            javalin.routes.get("/readyz", this::readiness);
            javalin.routes.get("/metrics", ctx -> {
                if (!onManagementPort(ctx)) {
                    metricsAuth.check(ctx.header("Authorization"));
                }
                ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape());
            });
            adminRoutes.register(javalin.routes);
            actionRoutes.register(javalin.routes);
            proxyRoutes.register(javalin.routes);
            userRoutes.register(javalin.routes);
            connectRoutes.register(javalin.routes);
            icons.register(javalin.routes);
            new ReferenceRoutes().register(javalin.routes);
            mcpRoutes.register(javalin.routes);
            triggerRoutes.register(javalin.routes);
            javalin.routes.exception(Failure.class, (e, ctx) -> ErrorResponses.render(ctx, withConnectPage(ctx, e)));
            javalin.routes.exception(HttpResponseException.class, (e, ctx) -> fromJavalin(ctx, e));
            javalin.routes.exception(Exception.class, (e, ctx) -> {
                // The class and message only: a stack trace may carry request data into the log.
                LOG.error("internal error: {}: {}", e.getClass().getName(), e.getMessage());
                ErrorResponses.render(ctx, new Failure(Failure.Kind.INTERNAL, "internal_error",
                        "Switchboard failed to handle this request; the request id identifies it in the server log."));
            });
        });
    }

    /** Jetty's connector behind the front door: loopback only, each connection opened by a PROXY protocol line. */
    private ServerConnector ordinaryPathBehindTheDoor(org.eclipse.jetty.server.Server server, org.eclipse.jetty.server.HttpConfiguration http) {
        ServerConnector connector = connector(server, "public", 0, new org.eclipse.jetty.server.ProxyConnectionFactory(
                org.eclipse.jetty.http.HttpVersion.HTTP_1_1.asString()), new HttpConnectionFactory(http));
        connector.setHost("127.0.0.1");
        return connector;
    }

    private ServerConnector connector(org.eclipse.jetty.server.Server server, org.eclipse.jetty.server.HttpConfiguration http,
                                      String name, int port) {
        return connector(server, name, port, new HttpConnectionFactory(http));
    }

    private ServerConnector connector(org.eclipse.jetty.server.Server server, String name, int port,
                                      org.eclipse.jetty.server.ConnectionFactory... factories) {
        ServerConnector connector = new ServerConnector(server, factories);
        connector.setPort(port);
        connector.setName(name);
        connector.addBean(new JettyConnectionMetrics(meters, connector, Tags.empty())); // tagged connector_name
        return connector;
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            LOG.warn("{} did not stop cleanly: {}", closeable.getClass().getSimpleName(), e.getMessage());
        }
    }

    /**
     * A "not connected" answer of an action or the proxy names where the user connects (in {@code meta.connectPage}); its
     * message stays ActionKit's, which clients match on.
     */
    private Failure withConnectPage(Context ctx, Failure failure) {
        if (needsConnectPage(failure) && ctx.pathParamMap().containsKey("projectId")) {
            failure.withDetail("connectPage", ConnectPage.address(ctx, config.publicUrl(), ctx.pathParam("projectId")));
        }
        return failure;
    }

    /** The same for a request the event loop served (its routes all start /projects/{projectId}/). */
    private Failure withConnectPage(Failure failure, dev.switchboard.http.loop.RequestHead head) {
        if (needsConnectPage(failure)) {
            failure.withDetail("connectPage", ConnectPage.address("http", head.header("Host"), config.publicUrl(), head.path().split("/", 4)[2]));
        }
        return failure;
    }

    private static boolean needsConnectPage(Failure failure) {
        return failure.code().equals("integration_not_connected") || failure.code().equals("credential_invalid");
    }

    private static void fromJavalin(Context ctx, HttpResponseException e) {
        switch (e.getStatus()) {
            case 404 -> ErrorResponses.render(ctx, 404, "not_found", "No such endpoint.", null);
            case 405 -> {
                String allowed = e.getDetails().getOrDefault("availableMethods", "");
                if (!allowed.isEmpty()) {
                    ctx.header("Allow", allowed);
                }
                ErrorResponses.render(ctx, 405, "method_not_allowed", "This endpoint does not take " + ctx.method()
                        + (allowed.isEmpty() ? "." : "; it takes " + allowed + "."), null);
            }
            default -> ErrorResponses.render(ctx, e.getStatus(), "http_" + e.getStatus(), e.getMessage(), null);
        }
    }

    /** Ready for traffic: the store answers with every migration this node needs, and the node is not draining. */
    private void readiness(Context ctx) {
        String reason = draining.draining() ? "draining: this node is shutting down" : database.notReadyReason();
        ctx.status(reason == null ? 200 : 503).json(reason == null ? Map.of("status", "ready") : Map.of("status", "not ready", "reason", reason));
    }

    private boolean onManagementPort(Context ctx) {
        ServerConnector management = managementConnector;
        return management != null && ctx.req().getLocalPort() == management.getLocalPort();
    }

    /** The management port is for Prometheus and the orchestrator: it answers nothing else (the API needs its tokens). */
    private void managementPortServesProbesOnly(Context ctx) {
        if (onManagementPort(ctx) && !List.of("/healthz", "/readyz", "/metrics").contains(ctx.path())) {
            throw Failure.notFound("not_found", "The management port serves /metrics, /healthz and /readyz only.");
        }
    }

    /** The access log line, and the request's timer by route template (never the raw path: its ids are unbounded). */
    private void logAndMeasure(Context ctx, Float millis) {
        try {
            io.javalin.router.Endpoint endpoint = ctx.endpoints().lastHttpEndpoint();
            logAndMeasure(ctx.method().name(), ctx.path(), endpoint == null ? "unmatched" : endpoint.path, ctx.statusCode(), (long) (millis * 1_000_000), null);
        } finally {
            RequestIds.release();
        }
    }

    /**
     * A request's access-log line and its {@code switchboard.http.requests} timer (the event loop's requests too).
     *
     * @param requestId the request's id when it is not in the logging MDC already (the event loop's requests)
     */
    private void logAndMeasure(String method, String path, String route, int status, long nanos, String requestId) {
        if (ACCESS.isInfoEnabled()) {
            dev.switchboard.blocking.OffLoopLog.write(requestId, () -> ACCESS.info("{} {} -> {} in {} ms", method, path, status, Math.round(nanos / 1e6)));
        }
        httpRequests.with(method, route, String.valueOf(status)).record(nanos, TimeUnit.NANOSECONDS);
    }

    /**
     * Deletes runs and delivered trigger events past the retention, a batch at a time, each in a short transaction of
     * its own (failed events stay for replay).
     */
    private void pruneRuns() {
        if (config.runRetention().isZero()) {
            return; // kept forever
        }
        long cutoff = System.currentTimeMillis() - config.runRetention().toMillis();
        try {
            int runs = 0;
            for (String project : runQueries.projectsWithRuns()) {
                if (draining.draining()) {
                    break;
                }
                runs += pruneInBatches(batch -> runQueries.deleteOlderThan(project, cutoff, batch));
            }
            int events = pruneInBatches(batch -> triggerEvents.deleteDeliveredBefore(cutoff, batch));
            if (runs + events > 0) {
                LOG.info("pruned {} runs and {} delivered trigger events older than {} days", runs, events, config.runRetention().toDays());
            }
        } catch (RuntimeException e) {
            LOG.warn("could not prune old runs and trigger events: {}", e.getMessage());
        }
    }

    private int pruneInBatches(java.util.function.IntUnaryOperator deleteBatch) {
        int deleted = 0;
        int batch;
        do {
            batch = deleteBatch.applyAsInt(PRUNE_BATCH);
            deleted += batch;
        } while (batch == PRUNE_BATCH && !draining.draining());
        return deleted;
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
            if (server.frontDoorOn) {
                server.openFrontDoor();
            }
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
        server.triggerLoop.start();
        if (!config.runRetention().isZero()) {
            server.housekeeping.scheduleWithFixedDelay(server::pruneRuns, 1, PRUNE_EVERY.toMinutes(), TimeUnit.MINUTES);
        }
        LOG.info("Switchboard listening on port {}{}{}", server.port(),
                server.loops == null ? "" : " (front door: " + server.loops.transport().name().toLowerCase(java.util.Locale.ROOT) + ")",
                server.managementPort() < 0 ? "" : "; /metrics, /healthz and /readyz also on port " + server.managementPort());
        return server;
    }

    public int port() {
        return frontDoor != null ? frontDoor.port() : app.port();
    }

    private void openFrontDoor() {
        this.frontDoor = FrontDoor.open(loops, hotPath, new java.net.InetSocketAddress("127.0.0.1", publicConnector.getLocalPort()),
                ConnectionGuards.HEADER_DEADLINE, null, config.port(), ConnectionGuards.MAX_CONNECTIONS,
                Duration.ofMillis(publicConnector.getIdleTimeout()));
    }

    /** Every route this node serves, as "METHOD /path" with Javalin's path syntax (the OpenAPI document's test reads it). */
    public List<String> routes() {
        return app.unsafe.internalRouter.allHttpHandlers().stream()
                .map(parsed -> parsed.endpoint.method.name() + " " + parsed.endpoint.path).toList();
    }

    /** The management port as bound (when configured as 0, the one picked), or -1 when there is none. */
    public int managementPort() {
        ServerConnector management = managementConnector;
        return management == null ? -1 : management.getLocalPort();
    }

    /** Runs a pruning pass now (tests; the node runs one every hour). */
    public void pruneRunsNow() {
        pruneRuns();
    }

    /** The node's delivery of trigger events (tests drive it with their own clock when its interval is zero). */
    public TriggerDelivery triggerDelivery() {
        return triggerDelivery;
    }

    /** The node's polling for polling triggers (tests drive it with their own clock when the interval is zero). */
    public TriggerPoller triggerPoller() {
        return triggerPoller;
    }

    /**
     * Leaves the cluster without dropping work (SIGTERM): readiness turns false, new requests are answered 503 with
     * Retry-After, requests in flight get up to the grace period to finish, their runs are written, then the node stops.
     */
    public void drainAndClose() {
        if (closed.get()) {
            return;
        }
        draining.beginDraining();
        LOG.info("draining: {} requests in flight, up to {} ms to finish", draining.inFlight(), config.shutdownGrace().toMillis());
        try {
            if (!draining.awaitIdle(config.shutdownGrace())) {
                LOG.warn("draining: {} requests still in flight after {} ms; stopping anyway", draining.inFlight(),
                        config.shutdownGrace().toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        close();
        LOG.info("stopped");
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        housekeeping.shutdownNow();
        if (triggerLoop != null) {
            triggerLoop.close();
        }
        if (frontDoor != null) {
            frontDoor.close();
        }
        app.stop();
        if (loops != null) {
            loops.close();
        }
        metrics.close();
        closeQuietly(transport);
        runs.close();
        database.close();
    }
}
