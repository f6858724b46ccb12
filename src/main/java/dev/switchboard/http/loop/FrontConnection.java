package dev.switchboard.http.loop;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * One client connection at the front door. It reads each request's head. A request the hot path claims and serves
 * is answered here, on the connection's event loop. Any other plain request (its body framed by
 * {@code Content-Length}) is forwarded, byte for byte, to the server's ordinary path (Jetty, on loopback, told the
 * client's address by a PROXY protocol line, over one connection kept for this client), and its answer relayed back
 * byte for byte; once that answer has ended, the next request is read here again. A request the door does not read
 * plainly (a chunked body, {@code Expect}, a WebSocket, another HTTP version, anything malformed) splices the rest of
 * the connection to the ordinary path for good. So every request but the hot path's meets exactly the server it
 * always did.
 */
final class FrontConnection extends ChannelInboundHandlerAdapter {
    private enum State {
        /** Between requests, or reading one's head. */
        READING,
        /** The hot path serves a request. */
        SERVING,
        /** The ordinary path serves a request; its answer is being relayed. */
        FORWARDING,
        /** For good: bytes relayed both ways until either side closes. */
        SPLICED,
        CLOSED
    }

    /** What a client may send ahead while its request is served before the door stops reading. */
    private static final int MAX_PENDING = 1024 * 1024;

    private final FrontDoor door;
    private ChannelHandlerContext ctx;
    /** The bytes read and not yet answered or forwarded: from the current request's first byte on. */
    private ByteBuf pending;
    private State state = State.READING;
    private ScheduledFuture<?> headDeadline;
    /** This client's connection to the ordinary path, once it needs one. */
    private Channel ordinary;
    private boolean closeAfterAnswer;
    /** The client shut its side: nothing more will come from it. */
    private boolean clientDone;
    private boolean closed;
    /** While forwarding: body bytes of the forwarded request still to come from the client. */
    private long bodyLeft;
    /** While forwarding: the forwarded request's answer has ended. */
    private boolean answerEnded;
    /** The forwarded request's method: an answer to HEAD has no body, whatever its Content-Length says. */
    private String forwardedMethod;
    /** While the hot path sends its answer in parts: who hears that the client takes bytes again, or went away. */
    private Exchange.PartsListener parts;

    FrontConnection(FrontDoor door) {
        this.door = door;
    }

    Channel channel() {
        return ctx.channel();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.pending = ctx.alloc().buffer(1024);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf in = (ByteBuf) msg;
        if (state == State.SPLICED) {
            relay(in, ordinary, ctx.channel());
            return;
        }
        if (state == State.CLOSED) {
            in.release();
            return;
        }
        if (state == State.FORWARDING && bodyLeft > 0) {
            // The rest of the forwarded request's body goes on as it comes; anything after it waits its turn.
            int part = (int) Math.min(bodyLeft, in.readableBytes());
            bodyLeft -= part;
            relay(in.readRetainedSlice(part), ordinary, ctx.channel());
            if (bodyLeft == 0) {
                forwardedWhole();
            }
        }
        pending.writeBytes(in);
        in.release();
        if (state == State.READING) {
            readRequests();
        } else if (pending.readableBytes() > MAX_PENDING) {
            // A client that sends on while its answer is under way (pipelining): read no more until it is answered.
            // Not turned off for every request: each turn costs two epoll_ctl calls (issue 24's profile).
            ctx.channel().config().setAutoRead(false);
        }
    }

    /** Reads requests while whole heads are pending: serves them here, or forwards them. */
    private void readRequests() {
        while (state == State.READING && pending.isReadable()) {
            RequestHead.Reading reading = RequestHead.read(pending);
            if (reading instanceof RequestHead.Incomplete) {
                startHeadDeadline();
                return;
            }
            if (!(reading instanceof RequestHead.Head(RequestHead head))) {
                splice();
                return;
            }
            if (!door.hotPath().claims(head) || head.contentLength() > HotPath.MAX_BODY) {
                cancelHeadDeadline();
                forward(head);
                continue;
            }
            if (pending.readableBytes() < head.headLength() + head.contentLength()) {
                startHeadDeadline(); // the body is still arriving; it has the head's time to arrive in
                return;
            }
            cancelHeadDeadline();
            byte[] body = new byte[head.contentLength()];
            pending.getBytes(pending.readerIndex() + head.headLength(), body);
            state = State.SERVING;
            closeAfterAnswer = head.closeAfter();
            if (!door.hotPath().serve(new Exchange(this, head, body))) {
                state = State.READING;
                forward(head);
            }
        }
    }

    /** The hot path's answer; writes it on the loop, then reads the connection's next request. */
    void answered(Exchange exchange, ByteBuf answer) {
        if (!ctx.executor().inEventLoop()) {
            ctx.executor().execute(() -> answered(exchange, answer));
            return;
        }
        if (state != State.SERVING) {
            answer.release(); // the client went away meanwhile
            return;
        }
        pending.skipBytes(exchange.head().headLength() + exchange.head().contentLength());
        served(answer);
    }

    /** The last bytes of the hot path's answer: the connection closes after them or reads its next request. */
    private void served(ByteBuf last) {
        if (closeAfterAnswer || clientDone) {
            state = State.CLOSED;
            ctx.writeAndFlush(last).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        ctx.writeAndFlush(last);
        nextRequest();
    }

    /** The head of the hot path's answer in parts (on the loop); a client gone meanwhile is told to the listener. */
    void partsStarted(Exchange exchange, ByteBuf head, Exchange.PartsListener listener) {
        if (state != State.SERVING) {
            head.release();
            listener.gone();
            return;
        }
        pending.skipBytes(exchange.head().headLength() + exchange.head().contentLength());
        parts = listener;
        ctx.writeAndFlush(head);
    }

    /** A part of the answer; false when the client is not taking them as fast (the listener hears when it does). */
    boolean part(ByteBuf bytes) {
        if (parts == null) {
            bytes.release();
            return false;
        }
        ctx.writeAndFlush(bytes);
        return ctx.channel().isWritable();
    }

    void partsEnded(ByteBuf last) {
        if (parts == null) {
            last.release();
            return;
        }
        parts = null;
        served(last);
    }

    /** The hot path's change of mind: the request goes to the ordinary path. */
    void declined(Exchange exchange) {
        if (!ctx.executor().inEventLoop()) {
            ctx.executor().execute(() -> declined(exchange));
            return;
        }
        if (state == State.SERVING) {
            state = State.READING;
            forward(exchange.head());
            readRequests();
        }
    }

    private void nextRequest() {
        pending.discardReadBytes();
        state = State.READING;
        if (!ctx.channel().config().isAutoRead()) {
            ctx.channel().config().setAutoRead(true);
        }
        readRequests();
    }

    /** Sends the pending request (what of its body has come) to the ordinary path, whose answer is relayed back. */
    private void forward(RequestHead head) {
        state = State.FORWARDING;
        forwardedMethod = head.method();
        answerEnded = false;
        int whole = head.headLength() + head.contentLength();
        int now = Math.min(whole, pending.readableBytes());
        bodyLeft = whole - now;
        ByteBuf request = pending.readBytes(now); // a copy: pending's bytes move when it discards what it has read
        pending.discardReadBytes();
        withOrdinary(channel -> {
            channel.writeAndFlush(request);
            if (bodyLeft == 0) {
                forwardedWhole();
            }
        }, request);
    }

    private void forwardedWhole() {
        if (clientDone && ordinary != null) {
            ((DuplexChannel) ordinary).shutdownOutput();
        }
        if (answerEnded) {
            nextRequest();
        }
    }

    /** The forwarded request's answer has ended: the next request is read here (once all of this one went on). */
    private void answerEnded() {
        answerEnded = true;
        if (state == State.FORWARDING && bodyLeft == 0) {
            if (clientDone) {
                ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(done -> close());
                return;
            }
            nextRequest();
        }
    }

    /** Hands the connection, from the pending request's first byte, to the ordinary path for good. */
    private void splice() {
        cancelHeadDeadline();
        state = State.SPLICED;
        ByteBuf rest = pending;
        pending = ctx.alloc().buffer(0);
        withOrdinary(channel -> {
            if (channel.pipeline().get(ResponseEnds.class) != null) {
                channel.pipeline().remove(ResponseEnds.class);
                channel.pipeline().remove(EndWatcher.class);
            }
            channel.writeAndFlush(rest);
            if (clientDone) {
                ((DuplexChannel) channel).shutdownOutput();
            }
        }, rest);
    }

    /** Runs {@code then} with this client's connection to the ordinary path, connecting it first if need be. */
    private void withOrdinary(java.util.function.Consumer<Channel> then, ByteBuf heldMeanwhile) {
        if (ordinary != null) {
            then.accept(ordinary);
            return;
        }
        Channel client = ctx.channel();
        client.config().setAutoRead(false);
        new Bootstrap().group(client.eventLoop()).channel(door.loops().channel())
                .option(ChannelOption.ALLOCATOR, door.loops().allocator())
                .option(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel channel) {
                        channel.pipeline().addLast(new OrdinarySide(client), new ResponseEnds(), new EndWatcher());
                    }
                })
                .connect(door.ordinaryAddress()).addListener((ChannelFutureListener) connected -> {
                    if (!connected.isSuccess() || closed) {
                        heldMeanwhile.release();
                        connected.channel().close();
                        close();
                        return;
                    }
                    ordinary = connected.channel();
                    ordinary.write(Unpooled.copiedBuffer(proxyLine(client), StandardCharsets.US_ASCII));
                    then.accept(ordinary);
                    if (!clientDone) {
                        client.config().setAutoRead(true);
                    }
                });
    }

    /** The PROXY protocol's (version 1) line: the ordinary path sees the client's own address. */
    private static String proxyLine(Channel client) {
        SocketAddress remote = client.remoteAddress();
        SocketAddress local = client.localAddress();
        if (remote instanceof InetSocketAddress from && local instanceof InetSocketAddress to && from.getAddress() != null
                && to.getAddress() != null && from.getAddress().getClass() == to.getAddress().getClass()) {
            String family = from.getAddress() instanceof java.net.Inet6Address ? "TCP6" : "TCP4";
            return "PROXY " + family + " " + from.getAddress().getHostAddress() + " " + to.getAddress().getHostAddress() + " "
                    + from.getPort() + " " + to.getPort() + "\r\n";
        }
        return "PROXY UNKNOWN\r\n";
    }

    /** Writes bytes on to the other side, reading no more from this one while the other cannot take them. */
    private static void relay(ByteBuf bytes, Channel to, Channel from) {
        to.writeAndFlush(bytes);
        if (!to.isWritable()) {
            from.config().setAutoRead(false);
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (parts != null && ctx.channel().isWritable()) {
            parts.writable();
        }
        if (ordinary != null && ctx.channel().isWritable()) {
            ordinary.config().setAutoRead(true);
        }
        ctx.fireChannelWritabilityChanged();
    }

    private void startHeadDeadline() {
        if (headDeadline == null && pending.isReadable()) {
            headDeadline = ctx.executor().schedule(() -> {
                if (state == State.READING) {
                    close(); // as the ordinary path's own guard does (ConnectionGuards)
                }
            }, door.headDeadline().toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void cancelHeadDeadline() {
        if (headDeadline != null) {
            headDeadline.cancel(false);
            headDeadline = null;
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof ChannelInputShutdownEvent) {
            clientDone = true;
            // The client will send nothing more: a request under way is answered, then the connection closes.
            switch (state) {
                case SPLICED -> ((DuplexChannel) ordinary).shutdownOutput();
                case FORWARDING -> {
                    if (bodyLeft > 0) {
                        ((DuplexChannel) ordinary).shutdownOutput(); // a body cut short: the ordinary path answers it
                    }
                }
                case READING -> {
                    if (pending.isReadable()) {
                        splice(); // a request cut short is the ordinary path's to answer (400)
                    } else {
                        close();
                    }
                }
                default -> { }
            }
        } else if (event instanceof IdleStateEvent && state == State.READING && !pending.isReadable()) {
            close(); // idle between requests, as long as the ordinary path lets a connection idle
        } else if (event instanceof IdleStateEvent && parts != null) {
            close(); // nothing of an answer in parts moved for as long: a client that stopped reading, or a vendor
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        close();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        close();
    }

    void close() {
        if (closed) {
            return;
        }
        closed = true;
        state = State.CLOSED;
        cancelHeadDeadline();
        if (parts != null) {
            Exchange.PartsListener told = parts;
            parts = null;
            told.gone();
        }
        if (pending != null) {
            pending.release();
            pending = null;
        }
        ctx.channel().close();
        if (ordinary != null) {
            ordinary.close();
        }
    }

    /** The ordinary path's side: its bytes go back to the client as they come. */
    private final class OrdinarySide extends ChannelInboundHandlerAdapter {
        private final Channel client;

        OrdinarySide(Channel client) {
            this.client = client;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf bytes = (ByteBuf) msg;
            ByteBuf seen = ctx.pipeline().get(ResponseEnds.class) == null ? null : bytes.retainedDuplicate();
            relay(bytes, client, ctx.channel()); // first, so that an answer's last bytes go out before the next request is read
            if (seen != null) {
                ctx.fireChannelRead(seen); // to ResponseEnds, which finds where the answer ends
            }
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            if (ctx.channel().isWritable()) {
                client.config().setAutoRead(true);
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            if (event instanceof ChannelInputShutdownEvent) {
                ordinaryEnded(ctx.channel());
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            ctx.fireChannelInactive(); // the decoder ends an answer that the close ends
            ordinaryEnded(ctx.channel());
        }

        /**
         * The ordinary path closed its side: the client's connection closes after what was relayed, when a request
         * of it was there; between requests (Jetty's idle timeout) the next forwarded request opens another.
         */
        private void ordinaryEnded(Channel channel) {
            if (channel != ordinary) {
                return;
            }
            if (state == State.FORWARDING || state == State.SPLICED) {
                client.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(done -> close());
            } else {
                ordinary = null;
                channel.close();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            close();
        }
    }

    /** Reads the ordinary path's answers only to find where each ends (their bytes are relayed as they are). */
    private final class ResponseEnds extends HttpResponseDecoder {
        ResponseEnds() {
            super(new io.netty.handler.codec.http.HttpDecoderConfig().setMaxHeaderSize(64 * 1024).setMaxInitialLineLength(8 * 1024));
        }

        @Override
        protected boolean isContentAlwaysEmpty(HttpMessage message) {
            return "HEAD".equals(forwardedMethod) || super.isContentAlwaysEmpty(message);
        }
    }

    /** The decoder's output, seen and dropped: a final answer's last part ends it. */
    private final class EndWatcher extends ChannelInboundHandlerAdapter {
        private boolean interim;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object decoded) {
            if (decoded instanceof HttpResponse response) {
                interim = response.status().code() < 200;
            }
            if (decoded instanceof LastHttpContent && !interim) {
                answerEnded();
            }
            ReferenceCountUtil.release(decoded);
        }
    }
}
