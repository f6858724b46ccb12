package dev.switchboard.http.loop;

import dev.switchboard.outbound.VendorBody;
import dev.switchboard.outbound.VendorRequest;
import dev.switchboard.outbound.VendorResponse;
import dev.switchboard.outbound.VendorTimeoutException;
import dev.switchboard.outbound.VendorUnreachableException;
import dev.switchboard.outbound.VendorUnreadableException;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.FastThreadLocal;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import javax.net.ssl.SSLException;

/**
 * Vendor calls made from an event loop, on connections of that same loop: each loop keeps its own idle
 * connections per vendor origin, so a request and its vendor call never change threads. One attempt, no retry:
 * what the answer needs beyond that (a retry, a refresh) is the pipeline's, off the loop.
 *
 * <p>As the ordinary path's client (Jetty's): no redirect followed, no cookie kept, no content decoded (bytes pass as
 * the vendor sent them), the answer read into memory up to the node's limit. Its connections close with the loops.
 */
public final class LoopVendorClient {
    private static final AttributeKey<Pending> PENDING = AttributeKey.valueOf("switchboard.pending");
    private static final int MAX_IDLE_PER_ORIGIN = 256;

    private final EventLoops loops;
    private final Duration connectTimeout;
    private final Duration attemptTimeout;
    private final int maxAnswerBytes;
    private final SslContext tls;
    private final FastThreadLocal<Map<String, ArrayDeque<Channel>>> idle = new FastThreadLocal<>() {
        @Override
        protected Map<String, ArrayDeque<Channel>> initialValue() {
            return new HashMap<>();
        }
    };

    private final dev.switchboard.metrics.MeterFamily<io.micrometer.core.instrument.Timer> vendorRequests;
    private final dev.switchboard.metrics.MeterFamily<io.micrometer.core.instrument.Timer> clientRequests;

    public LoopVendorClient(EventLoops loops, Duration connectTimeout, Duration attemptTimeout, int maxAnswerBytes,
                            io.micrometer.core.instrument.MeterRegistry meters) {
        this.vendorRequests = dev.switchboard.outbound.JettyTransport.vendorRequestTimers(meters);
        this.clientRequests = dev.switchboard.metrics.MeterFamily.timers(meters, "jetty.client.requests", "method", "outcome", "status");
        this.loops = loops;
        this.connectTimeout = connectTimeout;
        this.attemptTimeout = attemptTimeout;
        this.maxAnswerBytes = maxAnswerBytes;
        try {
            this.tls = SslContextBuilder.forClient().endpointIdentificationAlgorithm("HTTPS").build();
        } catch (SSLException e) {
            throw new IllegalStateException("cannot set up TLS for vendor calls", e);
        }
    }

    /** The vendor's answer is larger than the loop reads into memory (the node's limit for an action's answer). */
    public static final class AnswerTooLarge extends RuntimeException {
        AnswerTooLarge(String message) {
            super(message, null, false, false);
        }
    }

    /** One call in flight on a connection. */
    private record Pending(BiConsumer<VendorResponse, RuntimeException> done, ScheduledFuture<?> timeout, String origin) {}

    /**
     * Sends the request on a connection of {@code loop} and calls {@code done} there with the answer or the failure
     * (a {@link VendorTimeoutException}, {@link VendorUnreachableException} or {@link VendorUnreadableException}).
     * Must be called on {@code loop}. The body must be bytes.
     */
    public void send(EventLoop loop, VendorRequest request, BiConsumer<VendorResponse, RuntimeException> answered) {
        long started = System.nanoTime();
        BiConsumer<VendorResponse, RuntimeException> done = (response, failure) -> {
            measure(request, response, failure, System.nanoTime() - started);
            answered.accept(response, failure);
        };
        URI uri = request.uri();
        boolean https = "https".equalsIgnoreCase(uri.getScheme());
        int port = uri.getPort() > 0 ? uri.getPort() : https ? 443 : 80;
        String origin = (https ? "https://" : "http://") + uri.getHost() + ":" + port;
        FullHttpRequest message = message(request, uri, https, port);
        ArrayDeque<Channel> free = idle.get().get(origin);
        Channel channel;
        while (free != null && (channel = free.pollLast()) != null) {
            if (channel.isActive()) {
                exchange(channel, message, origin, done);
                return;
            }
        }
        new Bootstrap().group(loop).channel(loops.channel())
                .option(ChannelOption.ALLOCATOR, loops.allocator())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) connectTimeout.toMillis())
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        if (https) {
                            ch.pipeline().addLast(tls.newHandler(ch.alloc(), uri.getHost(), port));
                        }
                        ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(maxAnswerBytes), new Answers());
                    }
                })
                .connect(uri.getHost(), port).addListener((ChannelFutureListener) connected -> {
                    if (!connected.isSuccess()) {
                        message.release();
                        done.accept(null, new VendorUnreachableException("cannot connect: " + connected.cause().getClass().getSimpleName()));
                        return;
                    }
                    exchange(connected.channel(), message, origin, done);
                });
    }

    /**
     * The same meters as the ordinary path's client: {@code switchboard.vendor.requests}, and Jetty's client timer
     * ({@code jetty.client.requests}: method, outcome, status), whose name dashboards already read for every vendor call.
     */
    private void measure(VendorRequest request, VendorResponse response, RuntimeException failure, long nanos) {
        String outcome = response != null ? String.valueOf(response.status()) : failure instanceof VendorTimeoutException ? "timeout" : "error";
        vendorRequests.with(request.call().integration().key(), outcome).record(nanos, TimeUnit.NANOSECONDS);
        if (response != null) {
            clientRequests.with(request.method(), io.micrometer.core.instrument.binder.http.Outcome.forStatus(response.status()).name(),
                    String.valueOf(response.status())).record(nanos, TimeUnit.NANOSECONDS);
        }
    }

    private void exchange(Channel channel, FullHttpRequest message, String origin, BiConsumer<VendorResponse, RuntimeException> done) {
        ScheduledFuture<?> timeout = channel.eventLoop().schedule(() -> fail(channel,
                new VendorTimeoutException("no answer within " + attemptTimeout.toMillis() + " ms")), attemptTimeout.toMillis(), TimeUnit.MILLISECONDS);
        channel.attr(PENDING).set(new Pending(done, timeout, origin));
        channel.writeAndFlush(message).addListener((ChannelFutureListener) written -> {
            if (!written.isSuccess()) {
                fail(channel, new VendorUnreachableException("connection failed: " + written.cause().getClass().getSimpleName()));
            }
        });
    }

    private static FullHttpRequest message(VendorRequest request, URI uri, boolean https, int port) {
        byte[] body = switch (request.body()) {
            case null -> null;
            case VendorBody.Bytes bytes -> join(bytes.chunks());
            default -> throw new IllegalArgumentException("the loop sends bodies of bytes only");
        };
        String target = (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        FullHttpRequest message = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.valueOf(request.method()), target,
                body == null ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body));
        boolean defaultPort = port == (https ? 443 : 80);
        message.headers().set("Host", defaultPort ? uri.getHost() : uri.getHost() + ":" + port);
        message.headers().set("User-Agent", "Switchboard");
        String contentType = null;
        for (Map.Entry<String, List<String>> header : request.headers().entrySet()) {
            if (header.getKey().equalsIgnoreCase("Content-Type")) {
                contentType = header.getValue().get(0);
            }
            message.headers().add(header.getKey(), header.getValue());
        }
        if (body != null) {
            if (contentType == null) {
                message.headers().set("Content-Type", "application/octet-stream");
            }
            message.headers().set("Content-Length", body.length);
        } else if (!request.method().equals("GET") && !request.method().equals("HEAD")) {
            message.headers().set("Content-Length", 0);
        }
        return message;
    }

    private static byte[] join(List<byte[]> chunks) {
        if (chunks.size() == 1) {
            return chunks.get(0);
        }
        int length = 0;
        for (byte[] chunk : chunks) {
            length += chunk.length;
        }
        byte[] all = new byte[length];
        int at = 0;
        for (byte[] chunk : chunks) {
            System.arraycopy(chunk, 0, all, at, chunk.length);
            at += chunk.length;
        }
        return all;
    }

    private static void fail(Channel channel, RuntimeException failure) {
        Pending pending = channel.attr(PENDING).getAndSet(null);
        channel.close();
        if (pending != null) {
            pending.timeout().cancel(false);
            pending.done().accept(null, failure);
        }
    }

    /** Reads each connection's answers, and keeps the connection for the next call when the vendor allows. */
    private final class Answers extends SimpleChannelInboundHandler<FullHttpResponse> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse answer) {
            int status = answer.status().code();
            if (status < 200 && status != 101 && ctx.channel().attr(PENDING).get() != null) {
                return; // an interim answer (100, 102, 103): the real one follows, within the attempt's time
            }
            Pending pending = ctx.channel().attr(PENDING).getAndSet(null);
            if (pending == null) {
                ctx.close(); // an answer nobody asked for
                return;
            }
            pending.timeout().cancel(false);
            if (status < 200) {
                ctx.close();
                pending.done().accept(null, new VendorUnreadableException("the vendor's final answer was HTTP " + status));
                return;
            }
            Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            for (Map.Entry<String, String> header : answer.headers()) {
                headers.computeIfAbsent(header.getKey(), k -> new java.util.ArrayList<>()).add(header.getValue());
            }
            VendorResponse response = new VendorResponse(answer.status().code(), headers, ByteBufUtil.getBytes(answer.content()));
            if (HttpUtil.isKeepAlive(answer)) {
                ArrayDeque<Channel> free = idle.get().computeIfAbsent(pending.origin(), o -> new ArrayDeque<>());
                if (free.size() < MAX_IDLE_PER_ORIGIN) {
                    free.addLast(ctx.channel());
                } else {
                    ctx.close();
                }
            } else {
                ctx.close();
            }
            pending.done().accept(response, null);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            fail(ctx.channel(), new VendorUnreachableException("the vendor closed the connection before answering"));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            fail(ctx.channel(), cause instanceof TooLongFrameException
                    ? new AnswerTooLarge("the vendor's answer is larger than the " + maxAnswerBytes
                            + " bytes an action reads on this node; the Proxy API streams answers of any size")
                    : cause instanceof io.netty.handler.codec.DecoderException
                    ? new VendorUnreadableException("the vendor's answer broke the HTTP protocol")
                    : new VendorUnreachableException("connection failed: " + cause.getClass().getSimpleName()));
        }
    }
}
