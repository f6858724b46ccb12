package dev.switchboard.bench;

import dev.switchboard.http.loop.EventLoops;
import dev.switchboard.json.Json;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import tools.jackson.databind.JsonNode;

/**
 * The bench's run (e): the hop of runs (b) to (d) written as plainly as Java allows, to tell what the JVM and Netty
 * cost on the machine from what Switchboard's own work costs. It runs on Switchboard's {@link EventLoops} (the same
 * transport and allocator), reads a request with Netty's HTTP codec, parses its JSON body and writes it again, calls
 * the vendor on a connection of the same loop (one per client connection, kept alive), parses the vendor's JSON
 * answer and writes it again inside {@code {"output": ...}}, as the Proxy API answers. Nothing else: no token, no
 * store, no validation, no run record, no metrics, no error handling worth the name.
 *
 * <p>The issue that set the hot path's goal measured a proxy of this kind at 0.83 to 1.02 of nginx's rate. Where
 * this run is far below that, the machine, not Switchboard's work, keeps (c) and (d) from nginx.
 *
 * <p>Arguments: the port to listen on, the vendor's port on 127.0.0.1.
 */
public final class BareLoopProxy {
    private BareLoopProxy() {}

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        int vendorPort = Integer.parseInt(args[1]);
        EventLoops loops = new EventLoops(Runtime.getRuntime().availableProcessors(), EventLoops.transport("auto"));
        Channel server = new ServerBootstrap().group(loops.group()).channel(loops.serverChannel())
                .childOption(ChannelOption.ALLOCATOR, loops.allocator())
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel channel) {
                        channel.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(64 * 1024), new Front(loops, vendorPort));
                    }
                })
                .bind("127.0.0.1", port).sync().channel();
        System.out.println("bare loop proxy on " + port + " (" + loops.transport() + ")");
        server.closeFuture().sync();
    }

    /** One client connection, and its vendor connection on the same loop once the first request needs it. */
    private static final class Front extends SimpleChannelInboundHandler<FullHttpRequest> {
        private final EventLoops loops;
        private final int vendorPort;
        private Channel vendor;

        Front(EventLoops loops, int vendorPort) {
            this.loops = loops;
            this.vendorPort = vendorPort;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext front, FullHttpRequest request) {
            JsonNode body = Json.MAPPER.readTree(ByteBufUtil.getBytes(request.content()));
            FullHttpRequest call = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/api/chat.postMessage",
                    Unpooled.wrappedBuffer(Json.MAPPER.writeValueAsBytes(body)));
            call.headers().set(HttpHeaderNames.HOST, "127.0.0.1:" + vendorPort)
                    .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
                    .set(HttpHeaderNames.AUTHORIZATION, "Bearer xoxb-bench")
                    .set(HttpHeaderNames.CONTENT_LENGTH, call.content().readableBytes());
            if (vendor != null && vendor.isActive()) {
                vendor.writeAndFlush(call);
                return;
            }
            new Bootstrap().group(front.channel().eventLoop()).channel(loops.channel())
                    .option(ChannelOption.ALLOCATOR, loops.allocator())
                    .option(ChannelOption.TCP_NODELAY, true)
                    .handler(new ChannelInitializer<>() {
                        @Override
                        protected void initChannel(Channel channel) {
                            channel.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(1024 * 1024), new Back(front));
                        }
                    })
                    .connect("127.0.0.1", vendorPort)
                    .addListener((ChannelFutureListener) connected -> {
                        vendor = connected.channel();
                        vendor.writeAndFlush(call);
                    });
        }

        @Override
        public void channelInactive(ChannelHandlerContext front) {
            if (vendor != null) {
                vendor.close();
            }
        }
    }

    /** The vendor's answers, each written to the client connection that asked. */
    private static final class Back extends SimpleChannelInboundHandler<FullHttpResponse> {
        private final ChannelHandlerContext front;

        Back(ChannelHandlerContext front) {
            this.front = front;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext vendor, FullHttpResponse answer) {
            JsonNode output = Json.MAPPER.readTree(ByteBufUtil.getBytes(answer.content()));
            byte[] body = Json.MAPPER.writeValueAsBytes(Json.MAPPER.createObjectNode().set("output", output));
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, Unpooled.wrappedBuffer(body));
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
                    .set(HttpHeaderNames.CONTENT_LENGTH, body.length);
            front.writeAndFlush(response);
        }
    }
}
