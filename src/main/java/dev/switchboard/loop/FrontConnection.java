package dev.switchboard.loop;

import dev.switchboard.blocking.LeaveTheLoop;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * One client connection at the front door. It reads each request's head; a request the hot path claims and serves
 * is answered here, on the connection's event loop. The first request it does not serve ends its part: the
 * connection is spliced, from that request's first byte on, to the server's ordinary path (Jetty, on a loopback
 * port, told the client's address by a PROXY protocol line), and bytes are relayed both ways until either side
 * closes. So every request but the hot path's sees exactly the server it always did.
 */
final class FrontConnection extends ChannelInboundHandlerAdapter {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(FrontConnection.class);
    private enum State { READING, SERVING, SPLICING, SPLICED, CLOSED }

    private final FrontDoor door;
    private ChannelHandlerContext ctx;
    /** The bytes read and not yet answered or relayed: from the current request's first byte on. */
    private ByteBuf pending;
    private State state = State.READING;
    private ScheduledFuture<?> headDeadline;
    private Channel ordinary;
    private int served;
    private boolean closeAfterAnswer;
    /** The client shut its side: nothing more will come from it. */
    private boolean clientDone;
    private boolean closed;

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
        pending.writeBytes(in);
        in.release();
        if (state == State.READING) {
            readRequests();
        }
    }

    /** Reads and serves requests while whole ones are pending. */
    private void readRequests() {
        while (state == State.READING && pending.isReadable()) {
            RequestHead.Reading reading = RequestHead.read(pending);
            if (reading instanceof RequestHead.Incomplete) {
                startHeadDeadline();
                return;
            }
            if (!(reading instanceof RequestHead.Head(RequestHead head)) || !door.hotPath().claims(head)
                    || head.contentLength() > HotPath.MAX_BODY) {
                splice();
                return;
            }
            if (pending.readableBytes() < head.headLength() + head.contentLength()) {
                startHeadDeadline(); // the body is still arriving; it has the head's time to arrive in
                return;
            }
            cancelHeadDeadline();
            byte[] body = new byte[head.contentLength()];
            pending.getBytes(pending.readerIndex() + head.headLength(), body);
            state = State.SERVING;
            ctx.channel().config().setAutoRead(false);
            closeAfterAnswer = head.closeAfter();
            boolean taken;
            try {
                taken = door.hotPath().serve(new Exchange(this, head, body));
            } catch (LeaveTheLoop blocked) {
                LOG.debug("left the loop: {}", blocked.getMessage());
                taken = false;
            }
            if (!taken) {
                state = State.READING;
                splice();
                return;
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
        served++;
        pending.skipBytes(exchange.head().headLength() + exchange.head().contentLength());
        pending.discardReadBytes();
        if (closeAfterAnswer) {
            state = State.CLOSED;
            ctx.writeAndFlush(answer).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        ctx.writeAndFlush(answer);
        state = State.READING;
        ctx.channel().config().setAutoRead(true);
        readRequests();
    }

    /** The hot path's change of mind: the request goes to the ordinary path. */
    void declined(Exchange exchange) {
        if (!ctx.executor().inEventLoop()) {
            ctx.executor().execute(() -> declined(exchange));
            return;
        }
        if (state == State.SERVING) {
            state = State.READING;
            splice();
        }
    }

    /** Hands the connection, from the pending request's first byte, to the ordinary path. */
    private void splice() {
        cancelHeadDeadline();
        state = State.SPLICING;
        Channel client = ctx.channel();
        client.config().setAutoRead(false);
        new Bootstrap().group(client.eventLoop()).channel(door.loops().channel())
                .option(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new OrdinarySide(client))
                .connect(door.ordinaryAddress()).addListener((ChannelFutureListener) connected -> {
                    if (!connected.isSuccess()) {
                        close();
                        return;
                    }
                    if (state != State.SPLICING) {
                        connected.channel().close(); // the client left while we connected
                        return;
                    }
                    ordinary = connected.channel();
                    ordinary.write(Unpooled.copiedBuffer(proxyLine(client), StandardCharsets.US_ASCII));
                    ordinary.writeAndFlush(pending);
                    pending = null;
                    state = State.SPLICED;
                    if (clientDone) {
                        ((io.netty.channel.socket.DuplexChannel) ordinary).shutdownOutput();
                    } else {
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
        if (state == State.SPLICED && ctx.channel().isWritable()) {
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
            // The client will send nothing more: the ordinary path hears so too; a request being served here is
            // answered, and then the connection closes.
            switch (state) {
                case SPLICED -> ((io.netty.channel.socket.DuplexChannel) ordinary).shutdownOutput();
                case SERVING -> closeAfterAnswer = true;
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
        if (pending != null) {
            pending.release();
            pending = null;
        }
        ctx.channel().close();
        if (ordinary != null) {
            ordinary.close();
        }
    }

    /** The ordinary path's side of a spliced connection: its bytes go back to the client as they come. */
    private final class OrdinarySide extends ChannelInboundHandlerAdapter {
        private final Channel client;

        OrdinarySide(Channel client) {
            this.client = client;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            relay((ByteBuf) msg, client, ctx.channel());
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
                client.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(done -> close());
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            client.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(done -> close());
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            close();
        }
    }
}
