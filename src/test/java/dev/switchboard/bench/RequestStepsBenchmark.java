package dev.switchboard.bench;

import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.SignedJWT;
import dev.switchboard.actions.InputValidator;
import dev.switchboard.auth.Pem;
import dev.switchboard.auth.UserTokenVerifier;
import dev.switchboard.config.ServerConfig;
import dev.switchboard.files.FileObjects;
import dev.switchboard.files.HexJsonWriter;
import dev.switchboard.integrations.ActionDefinition;
import dev.switchboard.integrations.IntegrationCatalog;
import dev.switchboard.json.Json;
import dev.switchboard.store.Database;
import dev.switchboard.store.ProjectRepository;
import dev.switchboard.store.SigningKeyRepository;
import dev.switchboard.testing.Tokens;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import tools.jackson.databind.JsonNode;

/**
 * The per-request steps, each beside a baseline measured in the same run: token verification (ours, with the
 * signing key read from SQLite, against nimbus verifying with a key in hand), schema validation (against parsing
 * alone), hex decoding while parsing a 1 MB File object (against parsing the text then HexFormat), JSON
 * parse and write of an action body, and the event loop's reading of a request head and writing of an answer's head (against Netty's
 * request decoder and response encoder). Run: {@code ./switchboard bench-micro}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RequestStepsBenchmark {
    private Database database;
    private UserTokenVerifier verifier;
    private UserTokenVerifier uncachedVerifier;
    private RSASSAVerifier nimbus;
    private String projectId;
    private String authorization;
    private String token;
    private ActionDefinition.Compiled sendMessage;
    private byte[] actionBody;
    private JsonNode parameters;
    private byte[] fileBody;
    private io.netty.buffer.ByteBuf requestHead;
    /** The headers ActionHotPath gives an action's answer. */
    private static final java.util.List<String> ANSWER_HEADERS = java.util.List.of("X-Paragon-Credential", "5f0c1f6e-8d2a-4b7e-9c51-2a3d4e5f6a7b",
            "Content-Type", "application/json");
    private final io.netty.buffer.ByteBufAllocator answerAllocator = new io.netty.buffer.AdaptiveByteBufAllocator(false);
    private final io.netty.channel.embedded.EmbeddedChannel nettyEncoder = new io.netty.channel.embedded.EmbeddedChannel(
            new io.netty.handler.codec.http.HttpResponseEncoder());
    private final io.netty.channel.embedded.EmbeddedChannel nettyDecoder = new io.netty.channel.embedded.EmbeddedChannel(
            new io.netty.handler.codec.http.HttpRequestDecoder());

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        Path dir = Files.createTempDirectory("jmh");
        database = Database.open(null, dir);
        ProjectRepository projects = new ProjectRepository(database.jdbi(), Clock.systemUTC(), ServerConfig.DEFAULT_CACHE_TTL);
        SigningKeyRepository keys = new SigningKeyRepository(database.jdbi(), Clock.systemUTC(), ServerConfig.DEFAULT_CACHE_TTL);
        projectId = projects.create("jmh").id();
        KeyPair pair = Pem.generateRsa();
        keys.add(projectId, "k1", Pem.encodePublic((RSAPublicKey) pair.getPublic()));
        verifier = new UserTokenVerifier(keys, Clock.systemUTC(), "localhost", UserTokenVerifier.DEFAULT_CACHED_TOKENS);
        uncachedVerifier = new UserTokenVerifier(keys, Clock.systemUTC(), "localhost", 0);
        nimbus = new RSASSAVerifier((RSAPublicKey) pair.getPublic());
        token = Tokens.sign(Pem.encodePrivate((RSAPrivateKey) pair.getPrivate()), "u1", c -> c);
        authorization = "Bearer " + token;
        sendMessage = IntegrationCatalog.load(dir.resolve("none")).action("SLACK_SEND_MESSAGE").orElseThrow();
        actionBody = "{\"action\":\"SLACK_SEND_MESSAGE\",\"parameters\":{\"channel\":\"#general\",\"message\":\"Hello world!\",\"threadTs\":\"1503435956.000247\"}}"
                .getBytes(StandardCharsets.UTF_8);
        parameters = Json.MAPPER.readTree(actionBody).get("parameters");
        byte[] file = new byte[1_000_000];
        new Random(1).nextBytes(file);
        fileBody = ("{\"file\":{\"dataType\":\"FILE\",\"mimeType\":\"application/octet-stream\",\"data\":\"" + HexFormat.of().formatHex(file) + "\"}}")
                .getBytes(StandardCharsets.UTF_8);
        nettyEncoder.config().setAllocator(answerAllocator);
        // The bench's action request as wrk sends it, with a real user token.
        requestHead = io.netty.buffer.Unpooled.wrappedBuffer(("POST /projects/" + projectId + "/actions HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n"
                + "Content-Length: " + actionBody.length + "\r\nContent-Type: application/json\r\nAuthorization: " + authorization + "\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1), actionBody);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        database.close();
    }

    @Benchmark
    public Object tokenVerifiedFirstTime() {
        return uncachedVerifier.verify(projectId, authorization);
    }

    @Benchmark
    public Object tokenVerifiedSeenBefore() {
        return verifier.verify(projectId, authorization);
    }

    @Benchmark
    public boolean tokenBaselineNimbusWithKeyInHand() throws Exception {
        return SignedJWT.parse(token).verify(nimbus);
    }

    @Benchmark
    public JsonNode parametersValidated() {
        JsonNode parsed = Json.MAPPER.readTree(actionBody).get("parameters");
        InputValidator.validate(sendMessage, parsed);
        return parsed;
    }

    @Benchmark
    public JsonNode parametersBaselineParsedOnly() {
        return Json.MAPPER.readTree(actionBody).get("parameters");
    }

    @Benchmark
    public Object fileDecodedWhileParsing() {
        return FileObjects.read(new ByteArrayInputStream(fileBody), true);
    }

    @Benchmark
    public byte[] fileBaselineParsedThenHexFormat() {
        JsonNode tree = Json.MAPPER.readTree(fileBody);
        return HexFormat.of().parseHex(tree.at("/file/data").asString());
    }

    @Benchmark
    public JsonNode actionBodyParsedOurWay() {
        return FileObjects.read(new ByteArrayInputStream(actionBody), true);
    }

    @Benchmark
    public Object requestHeadRead() {
        return dev.switchboard.http.loop.RequestHead.read(requestHead);
    }

    /** Netty's own request decoder reading the same head (its channel set up once). */
    @Benchmark
    public Object requestHeadBaselineNettyDecoder() {
        nettyDecoder.writeInbound(requestHead.retainedDuplicate());
        Object head = nettyDecoder.readInbound();
        io.netty.util.ReferenceCountUtil.release(head);
        io.netty.util.ReferenceCountUtil.release(nettyDecoder.readInbound()); // the body
        return head;
    }

    /** The action's answer head as the event loop writes it, into a buffer of the loops' allocator. */
    @Benchmark
    public int answerHeadWritten() {
        io.netty.buffer.ByteBuf bytes = answerAllocator.buffer(256);
        dev.switchboard.http.loop.Exchange.writeHead(bytes, 200, ANSWER_HEADERS, 187);
        int written = bytes.readableBytes();
        bytes.release();
        return written;
    }

    /** Netty's own response encoder writing the same head (its channel set up once, on the same allocator). */
    @Benchmark
    public int answerHeadBaselineNettyEncoder() {
        io.netty.handler.codec.http.DefaultFullHttpResponse response = new io.netty.handler.codec.http.DefaultFullHttpResponse(
                io.netty.handler.codec.http.HttpVersion.HTTP_1_1, io.netty.handler.codec.http.HttpResponseStatus.OK, io.netty.buffer.Unpooled.EMPTY_BUFFER);
        for (int i = 0; i < ANSWER_HEADERS.size(); i += 2) {
            response.headers().add(ANSWER_HEADERS.get(i), ANSWER_HEADERS.get(i + 1));
        }
        response.headers().add("Date", "Thu, 03 Dec 2026 21:00:00 GMT").add("Content-Length", "187");
        nettyEncoder.writeOutbound(response);
        int written = 0;
        for (io.netty.buffer.ByteBuf bytes = nettyEncoder.readOutbound(); bytes != null; bytes = nettyEncoder.readOutbound()) {
            written += bytes.readableBytes();
            bytes.release();
        }
        return written;
    }

    @Benchmark
    public byte[] resultWrittenOurWay() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        HexJsonWriter.write(parameters, out);
        return out.toByteArray();
    }

    @Benchmark
    public byte[] resultBaselineJacksonWrite() {
        return Json.MAPPER.writeValueAsBytes(parameters);
    }
}
