package dev.switchboard.http.loop;

import dev.switchboard.blocking.Blocking;
import dev.switchboard.outbound.VendorBody;
import dev.switchboard.outbound.VendorRequest;
import dev.switchboard.outbound.VendorResponse;
import dev.switchboard.outbound.VendorTimeoutException;
import dev.switchboard.outbound.VendorUnreachableException;
import dev.switchboard.outbound.VendorUnreadableException;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
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
 * the vendor sent them), the answer read into memory up to the node's limit. A caller that streams large answers (the
 * proxy) gets one over its own limit as a {@link LargeAnswer} instead, whose body it takes as it comes. Its
 * connections close with the loops.
 */
public final class LoopVendorClient {
    private static final AttributeKey<Pending> PENDING = AttributeKey.valueOf("switchboard.pending");
    private static final OffLoopResolver RESOLVER = new OffLoopResolver();
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

    /**
     * The vendor's answer is larger than the caller reads into memory: for a caller that streams large answers, the
     * answer to stream ({@link #answer()}); otherwise the failure (over the node's limit for an action's answer).
     */
    public static final class AnswerTooLarge extends RuntimeException {
        private final transient LargeAnswer answer;

        AnswerTooLarge(String message, LargeAnswer answer) {
            super(message, null, false, false);
            this.answer = answer;
        }

        /** The answer to stream, or null when the caller reads answers whole only. */
        public LargeAnswer answer() {
            return answer;
        }
    }

    /**
     * One call in flight on a connection.
     *
     * @param streamOver the size over which the answer is handed over as a {@link LargeAnswer}; 0 for never
     */
    private record Pending(BiConsumer<VendorResponse, RuntimeException> done, ScheduledFuture<?> timeout, String origin, int streamOver) {}

    /**
     * Sends the request on a connection of {@code loop} and calls {@code done} there with the answer or the failure
     * (a {@link VendorTimeoutException}, {@link VendorUnreachableException} or {@link VendorUnreadableException}).
     * Must be called on {@code loop}. The body must be bytes.
     *
     * @param streamOver an answer over this many bytes is handed over to stream, as an {@link AnswerTooLarge} carrying
     *                   its {@link LargeAnswer}; 0 reads every answer whole, up to the node's limit
     */
    public void send(EventLoop loop, VendorRequest request, int streamOver, BiConsumer<VendorResponse, RuntimeException> answered) {
        long started = System.nanoTime();
        BiConsumer<VendorResponse, RuntimeException> done = (response, failure) -> {
            measure(request, response != null ? response.status()
                    : failure instanceof AnswerTooLarge large && large.answer() != null ? large.answer().status() : -1,
                    failure, System.nanoTime() - started);
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
                exchange(channel, message, origin, streamOver, done);
                return;
            }
        }
        new Bootstrap().group(loop).channel(loops.channel()).resolver(RESOLVER)
                .option(ChannelOption.ALLOCATOR, loops.allocator())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) connectTimeout.toMillis())
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        if (https) {
                            ch.pipeline().addLast(tls.newHandler(ch.alloc(), uri.getHost(), port));
                        }
                        // A body's parts as large as the socket reads them (Netty's default cuts them at 8 KiB): a streamed answer
                        // goes on to the client in as few writes.
                        ch.pipeline().addLast(new HttpClientCodec(new io.netty.handler.codec.http.HttpDecoderConfig()
                                .setMaxChunkSize(1024 * 1024), false, false), new Answers());
                    }
                })
                .connect(uri.getHost(), port).addListener((ChannelFutureListener) connected -> {
                    if (!connected.isSuccess()) {
                        message.release();
                        done.accept(null, new VendorUnreachableException("cannot connect: " + connected.cause().getClass().getSimpleName()));
                        return;
                    }
                    exchange(connected.channel(), message, origin, streamOver, done);
                });
    }

    /**
     * The same meters as the ordinary path's client: {@code switchboard.vendor.requests}, and Jetty's client timer
     * ({@code jetty.client.requests}: method, outcome, status), whose name dashboards already read for every vendor call.
     */
    /** @param status the vendor's status, or -1 when there was no answer */
    private void measure(VendorRequest request, int status, RuntimeException failure, long nanos) {
        String outcome = status > 0 ? String.valueOf(status) : failure instanceof VendorTimeoutException ? "timeout" : "error";
        vendorRequests.with(request.call().integration().key(), outcome).record(nanos, TimeUnit.NANOSECONDS);
        if (status > 0) {
            clientRequests.with(request.method(), io.micrometer.core.instrument.binder.http.Outcome.forStatus(status).name(),
                    String.valueOf(status)).record(nanos, TimeUnit.NANOSECONDS);
        }
    }

    private void exchange(Channel channel, FullHttpRequest message, String origin, int streamOver, BiConsumer<VendorResponse, RuntimeException> done) {
        ScheduledFuture<?> timeout = channel.eventLoop().schedule(() -> fail(channel,
                new VendorTimeoutException("no answer within " + attemptTimeout.toMillis() + " ms")), attemptTimeout.toMillis(), TimeUnit.MILLISECONDS);
        channel.attr(PENDING).set(new Pending(done, timeout, origin, streamOver));
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

    /**
     * Host names resolved as the ordinary path's client resolves them (the JDK's resolver: the system's hosts file,
     * DNS and the JDK's cache), but on a virtual thread, the connect going on on the loop once the address is known. Netty's
     * default resolver looks names up on the calling thread, which here is an event loop; an IP address needs no lookup.
     */
    private static final class OffLoopResolver extends io.netty.resolver.AddressResolverGroup<java.net.InetSocketAddress> {
        @Override
        protected io.netty.resolver.AddressResolver<java.net.InetSocketAddress> newResolver(io.netty.util.concurrent.EventExecutor loop) {
            return new io.netty.resolver.InetSocketAddressResolver(loop, new io.netty.resolver.InetNameResolver(loop) {
                @Override
                protected void doResolve(String host, io.netty.util.concurrent.Promise<java.net.InetAddress> promise) {
                    lookUp(host, promise, () -> java.net.InetAddress.getByName(host));
                }

                @Override
                protected void doResolveAll(String host, io.netty.util.concurrent.Promise<List<java.net.InetAddress>> promise) {
                    lookUp(host, promise, () -> List.of(java.net.InetAddress.getAllByName(host)));
                }
            });
        }

        private interface Lookup<T> {
            T run() throws java.net.UnknownHostException;
        }

        private static <T> void lookUp(String host, io.netty.util.concurrent.Promise<T> promise, Lookup<T> lookup) {
            Runnable task = () -> {
                try {
                    promise.trySuccess(lookup.run());
                } catch (java.net.UnknownHostException | RuntimeException e) {
                    promise.tryFailure(e);
                }
            };
            if (io.netty.util.NetUtil.isValidIpV4Address(host) || io.netty.util.NetUtil.isValidIpV6Address(host)) {
                task.run(); // an address, not a name: nothing to look up
            } else {
                Blocking.offLoop(task);
            }
        }
    }

    /** Where a {@link LargeAnswer}'s body goes as it comes, on the loop. */
    public interface BodySink {
        /** The body's next bytes; the sink releases them. */
        void part(ByteBuf bytes);

        /** The body has ended. */
        void end();

        /** The vendor broke off, or fell silent for the attempt's time, before the body's end. */
        void broken(RuntimeException failure);
    }

    /**
     * An answer over its caller's limit, handed over at its head: the caller streams its body ({@link #streamTo}) or
     * gives it up ({@link #abandon}). The vendor is read only as fast as the sink takes the body ({@link #pause},
     * {@link #resume}); silence while reading for the attempt's time breaks it off. Its connection is not kept for
     * another call. On the connection's loop only.
     */
    public final class LargeAnswer {
        private final Channel channel;
        private final VendorResponse head;
        private final long length;
        /** What came before {@link #streamTo}: the bytes read up to the limit, and any that followed meanwhile. */
        private CompositeByteBuf early;
        private BodySink sink;
        private boolean ended;
        private boolean broken;
        private boolean paused = true;
        private long lastProgress;
        private ScheduledFuture<?> silence;

        private LargeAnswer(Channel channel, VendorResponse head, long length, CompositeByteBuf early) {
            this.channel = channel;
            this.head = head;
            this.length = length;
            this.early = early;
        }

        /** The status and headers (no body: a classifier reads it as it reads any streamed answer). */
        public VendorResponse head() {
            return head;
        }

        public int status() {
            return head.status();
        }

        /** The body's length as the vendor declared it, or -1 when it did not (a chunked answer). */
        public long length() {
            return length;
        }

        /** Gives the body, from its first byte, to {@code sink}. */
        public void streamTo(BodySink sink) {
            this.sink = sink;
            CompositeByteBuf first = early;
            early = null;
            if (first.isReadable()) {
                sink.part(first);
            } else {
                first.release();
            }
            if (ended) {
                sink.end();
            } else if (broken) {
                sink.broken(new VendorUnreachableException("the vendor broke off its answer before it was complete"));
            } else {
                resume();
            }
        }

        /** Reads no more from the vendor until {@link #resume}: the sink cannot take more now. */
        public void pause() {
            paused = true;
            channel.config().setAutoRead(false);
        }

        public void resume() {
            if (ended || broken) {
                return;
            }
            paused = false;
            progress();
            channel.config().setAutoRead(true);
        }

        /** Gives the answer up: its connection closes. */
        public void abandon() {
            sink = null;
            broken = true;
            if (early != null) {
                early.release();
                early = null;
            }
            channel.close();
        }

        private void arrived(ByteBuf bytes, boolean last) {
            if (sink == null) {
                if (early != null) {
                    early.addComponent(true, bytes);
                } else {
                    bytes.release();
                }
            } else if (bytes.isReadable()) {
                sink.part(bytes);
            } else {
                bytes.release();
            }
            if (last) {
                ended = true;
                channel.close();
                if (sink != null) {
                    sink.end();
                }
            } else {
                progress();
            }
        }

        private void broke(RuntimeException failure) {
            if (ended || broken) {
                return;
            }
            broken = true;
            channel.close();
            BodySink told = sink;
            sink = null;
            if (told != null) {
                told.broken(failure);
            }
        }

        /** Bytes came (or reading resumed): the vendor's silence is counted from now. */
        private void progress() {
            lastProgress = System.nanoTime();
            if (silence == null) {
                silence = channel.eventLoop().schedule(this::checkSilence, attemptTimeout.toNanos(), TimeUnit.NANOSECONDS);
            }
        }

        private void checkSilence() {
            silence = null;
            if (ended || broken || paused) {
                return; // a pause is the caller's client taking its time: the front door's idle timeout watches that
            }
            long quiet = System.nanoTime() - lastProgress;
            if (quiet >= attemptTimeout.toNanos()) {
                broke(new VendorTimeoutException("the vendor's answer stopped for " + attemptTimeout.toMillis() + " ms"));
            } else {
                silence = channel.eventLoop().schedule(this::checkSilence, attemptTimeout.toNanos() - quiet, TimeUnit.NANOSECONDS);
            }
        }
    }

    /**
     * Reads each connection's answers: whole into memory, or past the caller's limit handed over as a
     * {@link LargeAnswer}; and keeps the connection for the next call when the vendor allows.
     */
    private final class Answers extends SimpleChannelInboundHandler<HttpObject> {
        private HttpResponse head;
        /** An interim answer (100, 102, 103) is being read: the real one follows, within the attempt's time. */
        private boolean interim;
        private CompositeByteBuf body;
        private LargeAnswer large;

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, HttpObject part) {
            if (part.decoderResult().isFailure()) {
                broke(ctx, new VendorUnreadableException("the vendor's answer broke the HTTP protocol"));
                return;
            }
            if (large != null) {
                if (part instanceof HttpContent content) {
                    large.arrived(content.content().retain(), part instanceof LastHttpContent);
                }
                return;
            }
            Pending pending = ctx.channel().attr(PENDING).get();
            if (pending == null) {
                ctx.close(); // an answer nobody asked for
                return;
            }
            if (part instanceof HttpResponse response) {
                int status = response.status().code();
                interim = status < 200 && status != 101;
                if (status < 200 && !interim) {
                    broke(ctx, new VendorUnreadableException("the vendor's final answer was HTTP " + status));
                    return;
                }
                if (!interim) {
                    head = response;
                    body = ctx.alloc().compositeBuffer(Integer.MAX_VALUE);
                    if (HttpUtil.getContentLength(response, -1L) > limit(pending)) {
                        tooLarge(ctx, pending, false);
                        return;
                    }
                }
            }
            if (part instanceof HttpContent content) {
                boolean last = part instanceof LastHttpContent;
                if (interim) {
                    interim = !last;
                    return;
                }
                body.addComponent(true, content.content().retain());
                if (body.readableBytes() > limit(pending)) {
                    tooLarge(ctx, pending, last);
                } else if (last) {
                    whole(ctx, pending);
                }
            }
        }

        private int limit(Pending pending) {
            return pending.streamOver() > 0 ? pending.streamOver() : maxAnswerBytes;
        }

        private void whole(ChannelHandlerContext ctx, Pending pending) {
            ctx.channel().attr(PENDING).set(null);
            pending.timeout().cancel(false);
            VendorResponse response = new VendorResponse(head.status().code(), headers(head), ByteBufUtil.getBytes(body));
            body.release();
            body = null;
            if (HttpUtil.isKeepAlive(head)) {
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

        /** Past the caller's limit: the answer is handed over to stream, or fails for a caller that reads it whole. */
        private void tooLarge(ChannelHandlerContext ctx, Pending pending, boolean last) {
            ctx.channel().attr(PENDING).set(null);
            pending.timeout().cancel(false);
            CompositeByteBuf sofar = body;
            body = null;
            if (pending.streamOver() == 0) {
                sofar.release();
                ctx.close();
                pending.done().accept(null, new AnswerTooLarge("the vendor's answer is larger than the " + maxAnswerBytes
                        + " bytes an action reads on this node; the Proxy API streams answers of any size", null));
                return;
            }
            ctx.channel().config().setAutoRead(false); // until the caller takes the body
            large = new LargeAnswer(ctx.channel(), new VendorResponse(head.status().code(), headers(head), new byte[0]),
                    HttpUtil.getContentLength(head, -1L), sofar);
            if (last) {
                large.arrived(Unpooled.EMPTY_BUFFER, true);
            }
            pending.done().accept(null, new AnswerTooLarge("the vendor's answer is larger than " + pending.streamOver()
                    + " bytes: it streams", large));
        }

        private static java.util.Map<String, List<String>> headers(HttpResponse head) {
            Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            for (Map.Entry<String, String> header : head.headers()) {
                headers.computeIfAbsent(header.getKey(), k -> new java.util.ArrayList<>()).add(header.getValue());
            }
            return headers;
        }

        /** The connection failed: the call in flight fails, or the answer being streamed breaks off. */
        private void broke(ChannelHandlerContext ctx, RuntimeException failure) {
            if (large != null) {
                large.broke(failure);
            } else {
                fail(ctx.channel(), failure);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            broke(ctx, new VendorUnreachableException("the vendor closed the connection before answering"));
        }

        @Override
        public void handlerRemoved(ChannelHandlerContext ctx) {
            if (body != null) {
                body.release();
                body = null;
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            broke(ctx, cause instanceof io.netty.handler.codec.DecoderException
                    ? new VendorUnreadableException("the vendor's answer broke the HTTP protocol")
                    : new VendorUnreachableException("connection failed: " + cause.getClass().getSimpleName()));
        }
    }
}
