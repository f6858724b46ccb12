package dev.switchboard.http.loop;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.handler.timeout.IdleStateHandler;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The public port. Each connection is read on an event loop: requests of the {@link HotPath} are served there, and
 * a connection's first other request splices it to the ordinary path (Jetty on loopback), which then serves it
 * as if the client had connected there (see {@link FrontConnection}).
 *
 * <p>At most {@code maxConnections} are open at once: past that the door stops accepting, and new connections
 * wait in the kernel's queue until one closes, as they did at Jetty's own port.
 */
public final class FrontDoor implements AutoCloseable {
    private final EventLoops loops;
    private final HotPath hotPath;
    private final InetSocketAddress ordinaryAddress;
    private final Duration headDeadline;
    private final Channel server;

    private FrontDoor(EventLoops loops, HotPath hotPath, InetSocketAddress ordinaryAddress, Duration headDeadline,
                      String host, int port, int maxConnections, Duration idleTimeout) {
        this.loops = loops;
        this.hotPath = hotPath;
        this.ordinaryAddress = ordinaryAddress;
        this.headDeadline = headDeadline;
        AtomicInteger open = new AtomicInteger();
        ServerBootstrap bootstrap = new ServerBootstrap().group(loops.group()).channel(loops.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.ALLOCATOR, loops.allocator())
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
        // Counted as each connection is accepted, on the accepting loop: at the cap the door stops accepting at once,
        // within the same batch of accepts, and the rest wait in the kernel's queue (as at Jetty's own port).
        bootstrap.handler(new io.netty.channel.ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(io.netty.channel.ChannelHandlerContext ctx, Object accepted) {
                Channel parent = ctx.channel();
                if (open.incrementAndGet() >= maxConnections) {
                    parent.config().setAutoRead(false);
                }
                ((Channel) accepted).closeFuture().addListener(closed -> {
                    if (open.decrementAndGet() < maxConnections) {
                        parent.config().setAutoRead(true);
                    }
                });
                ctx.fireChannelRead(accepted);
            }
        });
        bootstrap.childHandler(new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel channel) {
                channel.pipeline().addLast(new IdleStateHandler(0, 0, idleTimeout.toMillis(), TimeUnit.MILLISECONDS),
                        new FrontConnection(FrontDoor.this));
            }
        });
        this.server = (host == null ? bootstrap.bind(port) : bootstrap.bind(host, port)).syncUninterruptibly().channel();
    }

    /**
     * @param ordinaryAddress where the ordinary path listens (loopback, PROXY protocol first)
     * @param host            the address to bind, or null for all
     * @param idleTimeout     how long a connection may idle between requests (the ordinary path's own idle timeout)
     */
    public static FrontDoor open(EventLoops loops, HotPath hotPath, InetSocketAddress ordinaryAddress, Duration headDeadline,
                                 String host, int port, int maxConnections, Duration idleTimeout) {
        return new FrontDoor(loops, hotPath, ordinaryAddress, headDeadline, host, port, maxConnections, idleTimeout);
    }

    public int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    EventLoops loops() {
        return loops;
    }

    HotPath hotPath() {
        return hotPath;
    }

    InetSocketAddress ordinaryAddress() {
        return ordinaryAddress;
    }

    Duration headDeadline() {
        return headDeadline;
    }

    /** Stops accepting; open connections finish with the loops. */
    @Override
    public void close() {
        server.close().syncUninterruptibly();
    }
}
