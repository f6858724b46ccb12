package dev.switchboard.http.loop;

import io.netty.buffer.AdaptiveByteBufAllocator;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;
import dev.switchboard.blocking.Blocking;
import io.netty.util.ResourceLeakDetector;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The node's event loops (one per core): the public port's front door and the vendor connections of the hot path
 * run on them, a connection's vendor calls on its own loop. io_uring where the kernel offers it, else epoll, else NIO;
 * the {@code event-loop} setting may insist on one. io_uring is the default because
 * it submits a loop turn's socket calls in one system call: on this project's 2-core bench it took the CPU per
 * proxied request from about 67 to 46 µs (docs/performance.md), where system calls are the larger share.
 *
 * <p>Code on a loop must never block: see {@link Blocking}.
 */
public final class EventLoops implements AutoCloseable {
    /** How the loops wait for and make their socket calls. */
    public enum Transport { IO_URING, EPOLL, NIO }

    private final EventLoopGroup group;
    private final Transport transport;
    // Heads and answers are composed on the heap, where writing a byte is a plain store: in a direct buffer it goes
    // through ByteBuffer's checks, Netty having no Unsafe on Java 25 (3 % of the hot path's CPU, issue 24). Reads
    // still land in direct memory, and a write copies a heap buffer there in one move.
    private final ByteBufAllocator allocator = new AdaptiveByteBufAllocator(false);

    /** @param transport see {@link #transport(String)} */
    public EventLoops(int threads, Transport transport) {
        // Netty's leak detector samples buffers with a stack trace each (1 % of the hot path's CPU); tests and
        // operators who want it set -Dio.netty.leakDetection.level.
        if (System.getProperty("io.netty.leakDetection.level") == null) {
            ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        }
        this.transport = transport;
        this.group = new MultiThreadIoEventLoopGroup(threads, new LoopThreads(), switch (transport) {
            case IO_URING -> IoUringIoHandler.newFactory();
            case EPOLL -> EpollIoHandler.newFactory();
            case NIO -> NioIoHandler.newFactory();
        });
    }

    /**
     * The transport asked for, or with {@code auto} the best the kernel offers; one asked for but not offered is an
     * error that names why, before the node opens its store or its port.
     */
    public static Transport transport(String asked) {
        return switch (asked) {
            case "auto" -> IoUring.isAvailable() ? Transport.IO_URING : Epoll.isAvailable() ? Transport.EPOLL : Transport.NIO;
            case "io_uring" -> offered(Transport.IO_URING, IoUring.unavailabilityCause());
            case "epoll" -> offered(Transport.EPOLL, Epoll.unavailabilityCause());
            case "nio" -> Transport.NIO;
            default -> throw new IllegalArgumentException("event-loop: unknown transport '" + asked + "'");
        };
    }

    private static Transport offered(Transport asked, Throwable missing) {
        if (missing != null) {
            throw new IllegalStateException("event-loop: " + asked.name().toLowerCase(java.util.Locale.ROOT) + " is not available here ("
                    + missing.getMessage() + "); set event-loop to auto to take the best one this machine offers");
        }
        return asked;
    }

    /** The allocator of every channel on the loops. */
    public ByteBufAllocator allocator() {
        return allocator;
    }

    public Transport transport() {
        return transport;
    }

    public EventLoopGroup group() {
        return group;
    }

    public Class<? extends ServerChannel> serverChannel() {
        return switch (transport) {
            case IO_URING -> IoUringServerSocketChannel.class;
            case EPOLL -> EpollServerSocketChannel.class;
            case NIO -> NioServerSocketChannel.class;
        };
    }

    public Class<? extends Channel> channel() {
        return switch (transport) {
            case IO_URING -> IoUringSocketChannel.class;
            case EPOLL -> EpollSocketChannel.class;
            case NIO -> NioSocketChannel.class;
        };
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private static final class LoopThreads implements ThreadFactory {
        private final AtomicInteger next = new AtomicInteger();

        @Override
        public Thread newThread(Runnable task) {
            return new Blocking.LoopThread(task, "switchboard-loop-" + next.getAndIncrement());
        }
    }
}
