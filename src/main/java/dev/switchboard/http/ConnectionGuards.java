package dev.switchboard.http;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.internal.HttpConnection;
import org.eclipse.jetty.util.component.LifeCycle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Limits a client cannot spin out by sending slowly: a request's head (request line and headers) must arrive within
 * {@link #HEADER_DEADLINE} of its first byte, however slowly it trickles in (each byte would reset the idle
 * timeout), and at most {@link #MAX_CONNECTIONS} connections are open at once (past that, new ones wait in the
 * kernel's queue until one closes).
 */
public final class ConnectionGuards implements Connection.Listener {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionGuards.class);
    public static final Duration HEADER_DEADLINE = Duration.ofMillis(Long.getLong("switchboard.headerDeadlineMillis", 10_000));
    public static final int MAX_CONNECTIONS = Integer.getInteger("switchboard.maxConnections", 4096);
    private static final Duration SWEEP = Duration.ofMillis(Math.min(1000, HEADER_DEADLINE.toMillis() / 2));

    /** Open HTTP/1 connections, with when the head they are reading began ({@link System#nanoTime()}), or 0. */
    private final Map<HttpConnection, Long> headStarted = new ConcurrentHashMap<>();
    private final ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("switchboard-header-deadline").factory());

    private ConnectionGuards() {}

    /** Installs both guards on the server; the deadline's sweeper starts and stops with it. */
    public static void install(Server server) {
        ConnectionGuards guards = new ConnectionGuards();
        server.addBean(new NetworkConnectionLimit(MAX_CONNECTIONS, server));
        server.addEventListener(new LifeCycle.Listener() {
            @Override
            public void lifeCycleStarted(LifeCycle event) {
                for (Connector connector : server.getConnectors()) {
                    connector.addEventListener(guards);
                }
                guards.sweeper.scheduleWithFixedDelay(guards::sweep, SWEEP.toMillis(), SWEEP.toMillis(), TimeUnit.MILLISECONDS);
            }

            @Override
            public void lifeCycleStopping(LifeCycle event) {
                guards.sweeper.shutdownNow();
            }
        });
    }

    @Override
    public void onOpened(Connection connection) {
        if (connection instanceof HttpConnection http) {
            headStarted.put(http, 0L);
        }
    }

    @Override
    public void onClosed(Connection connection) {
        if (connection instanceof HttpConnection http) {
            headStarted.remove(http);
        }
    }

    private void sweep() {
        long now = System.nanoTime();
        headStarted.replaceAll((connection, since) -> {
            boolean readingHead = connection.getParser().inHeaderState() && !connection.getParser().isStart();
            if (!readingHead) {
                return 0L;
            }
            if (since == 0L) {
                return now;
            }
            if (now - since > HEADER_DEADLINE.toNanos()) {
                LOG.info("closing a connection from {}: its request head took longer than {} ms",
                        connection.getEndPoint().getRemoteSocketAddress(), HEADER_DEADLINE.toMillis());
                connection.getEndPoint().close();
            }
            return since;
        });
    }
}
