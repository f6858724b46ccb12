package dev.switchboard.fakes;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.io.InputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Google Drive API v3 (vendors.md section 3): {@code pageToken}/{@code nextPageToken} with partial pages before the
 * end, multipart/related uploads on the upload host ({@code /upload/drive/v3}), {@code alt=media} downloads,
 * Google's error envelope, 403 {@code userRateLimitExceeded} without Retry-After. For the proxy it also takes
 * {@code uploadType=media} bodies of any size (hashed as they stream) and serves a file of any size made as it is read.
 */
public final class GoogleDriveFake extends VendorFake {
    /** A stored file; {@code bytes} is null for files only hashed while they streamed in. */
    public record StoredFile(String id, String name, String mimeType, List<String> parents, byte[] bytes, long size, String sha256) {}

    private final List<ObjectNode> listing = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Map<String, StoredFile> files = new ConcurrentHashMap<>();

    public GoogleDriveFake(int listedFiles) {
        for (int i = 1; i <= listedFiles; i++) {
            listed("1aB2-file-" + i, "file-" + i + ".txt", "text/plain");
        }
    }

    /** A file as files.list shows it, with its times (RFC 3339, as Drive writes them), added to the listing. */
    private ObjectNode listed(String id, String name, String mimeType) {
        String now = tick();
        ObjectNode file = NODES.objectNode().put("kind", "drive#file").put("id", id).put("name", name).put("mimeType", mimeType)
                .put("createdTime", now).put("modifiedTime", now);
        listing.add(file);
        return file;
    }

    private String tick() {
        return nextWrite().toString().replace("Z", ".000Z");
    }

    /** A file made in the user's Drive by other means (another app, the web); returns its id. */
    public String addFile(String name, String mimeType) {
        return listed(UUID.randomUUID().toString().replace("-", ""), name, mimeType).get("id").asString();
    }

    /** Someone changed a listed file: its modifiedTime moves on. */
    public void touch(String id) {
        listing.stream().filter(f -> f.get("id").asString().equals(id)).findFirst().orElseThrow().put("modifiedTime", tick());
    }

    public List<ObjectNode> listing() { return listing; }
    public Map<String, StoredFile> files() { return files; }
    public String apiUrl() { return baseUrl() + "/drive/v3"; }
    public String uploadUrl() { return baseUrl() + "/upload/drive/v3"; }

    public StoredFile store(String name, String mimeType, byte[] bytes) {
        StoredFile file = new StoredFile(UUID.randomUUID().toString().replace("-", ""), name, mimeType, List.of(), bytes, bytes.length, sha256(bytes));
        files.put(file.id(), file);
        return file;
    }

    @Override
    protected void routes(RoutesConfig routes) {
        get(routes, "/drive/v3/files", "list", this::list);
        post(routes, "/upload/drive/v3/files", "upload", this::multipartUpload);
        streaming(routes, HandlerType.GET, "/drive/v3/files/{fileId}", this::getFile);
        streaming(routes, HandlerType.PUT, "/upload/drive/v3/files/{fileId}", this::mediaUpload);
    }

    /** Pages are one short of pageSize every third page, and the list ends without nextPageToken. */
    private void list(Context ctx, JsonNode body) {
        int pageSize = intParam(ctx, "pageSize", 100);
        int start = ctx.queryParam("pageToken") == null ? 0 : Integer.parseInt(new String(HexFormat.of().parseHex(ctx.queryParam("pageToken"))));
        int page = start / Math.max(1, pageSize);
        int size = page % 3 == 2 && pageSize > 1 ? pageSize - 1 : pageSize;
        int listed = matching(ctx.queryParam("q"), listing).size();
        int end = Math.min(listed, start + size);
        ObjectNode answer = NODES.objectNode().put("kind", "drive#fileList").put("incompleteSearch", false);
        if (end < listed) {
            answer.put("nextPageToken", HexFormat.of().formatHex(String.valueOf(end).getBytes()));
        }
        ArrayNode page_ = answer.putArray("files");
        matching(ctx.queryParam("q"), ordered(ctx.queryParam("orderBy"))).subList(start, end).forEach(page_::add);
        json(ctx, 200, answer);
    }

    /** The files a q keeps: of its terms, only mimeType = '...' is looked at (the others keep every file). */
    private static List<ObjectNode> matching(String q, List<ObjectNode> files) {
        java.util.regex.Matcher mimeType = java.util.regex.Pattern.compile("mimeType = '([^']+)'").matcher(q == null ? "" : q);
        return mimeType.find() ? files.stream().filter(f -> f.path("mimeType").asString().equals(mimeType.group(1))).toList() : files;
    }

    /** The listing in files.list's orderBy, for the keys the tests use (createdTime, modifiedTime, each with desc); else as stored. */
    private List<ObjectNode> ordered(String orderBy) {
        if (orderBy == null) {
            return listing;
        }
        String[] key = orderBy.trim().split("\\s+");
        java.util.Comparator<ObjectNode> by = java.util.Comparator.<ObjectNode, String>comparing(f -> f.path(key[0]).asString(""))
                .thenComparing(f -> f.get("id").asString());
        return listing.stream().sorted(key.length > 1 && key[1].equals("desc") ? by.reversed() : by).toList();
    }

    private void multipartUpload(Context ctx, JsonNode ignored) {
        if (!"multipart".equals(ctx.queryParam("uploadType"))) {
            error(ctx, new VendorError(400, "badRequest", "Media type not supported for this upload type"));
            return;
        }
        List<Part> parts = multipart(ctx.contentType(), ctx.bodyAsBytes());
        if (ctx.contentType() == null || !ctx.contentType().startsWith("multipart/related") || parts == null || parts.size() != 2
                || !parts.get(0).header("Content-Type").startsWith("application/json")) {
            error(ctx, new VendorError(400, "badRequest", "Malformed multipart body."));
            return;
        }
        JsonNode metadata = JSON.readTree(parts.get(0).content());
        List<String> parents = new ArrayList<>();
        metadata.path("parents").forEach(p -> parents.add(p.asString()));
        byte[] bytes = parts.get(1).content();
        StoredFile file = new StoredFile(UUID.randomUUID().toString().replace("-", ""), metadata.path("name").asString("Untitled"),
                parts.get(1).header("Content-Type"), parents, bytes, bytes.length, sha256(bytes));
        files.put(file.id(), file);
        listed(file.id(), file.name(), file.mimeType());
        json(ctx, 200, resource(file));
    }

    /** {@code PUT /upload/drive/v3/files/{id}?uploadType=media}: the bytes are hashed as they stream in, never held. */
    private void mediaUpload(Context ctx) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        long size;
        try (InputStream in = new DigestInputStream(ctx.bodyInputStream(), digest)) {
            size = in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        StoredFile file = new StoredFile(ctx.pathParam("fileId"), ctx.pathParam("fileId"), ctx.contentType(), List.of(), null, size,
                HexFormat.of().formatHex(digest.digest()));
        files.put(file.id(), file);
        json(ctx, 200, resource(file));
    }

    /** Metadata, or with {@code alt=media} the bytes; an id {@code pattern-<n>} is a file of n bytes made as it is sent. */
    private void getFile(Context ctx) {
        String id = ctx.pathParam("fileId");
        boolean media = "media".equals(ctx.queryParam("alt"));
        if (id.startsWith("pattern-") && media) {
            long length = Long.parseLong(id.substring("pattern-".length()));
            ctx.header("Content-Length", String.valueOf(length)).contentType("application/octet-stream").result(pattern(length));
            return;
        }
        StoredFile file = files.get(id);
        if (file == null) {
            error(ctx, new VendorError(404, "notFound", "File not found: " + id + "."));
            return;
        }
        if (media) {
            ctx.contentType(file.mimeType()).result(file.bytes());
        } else {
            json(ctx, 200, resource(file));
        }
    }

    private static ObjectNode resource(StoredFile file) {
        ObjectNode resource = NODES.objectNode().put("kind", "drive#file").put("id", file.id()).put("name", file.name()).put("mimeType", file.mimeType());
        return resource;
    }


    @Override
    protected void rejectCredential(Context ctx) {
        ObjectNode body = NODES.objectNode();
        ObjectNode error = body.putObject("error").put("code", 401)
                .put("message", "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.")
                .put("status", "UNAUTHENTICATED");
        error.putArray("errors").addObject().put("message", "Invalid Credentials").put("domain", "global").put("reason", "authError")
                .put("location", "Authorization").put("locationType", "header");
        ctx.header("WWW-Authenticate", "Bearer realm=\"https://accounts.google.com/\", error=\"invalid_token\"");
        json(ctx, 401, body);
    }

    @Override
    protected void rateLimit(Context ctx, int retryAfterSeconds) {
        ObjectNode body = NODES.objectNode();
        ObjectNode error = body.putObject("error").put("code", 403).put("message", "User Rate Limit Exceeded");
        error.putArray("errors").addObject().put("domain", "usageLimits").put("reason", "userRateLimitExceeded").put("message", "User Rate Limit Exceeded");
        json(ctx, 403, body);
    }

    @Override
    protected void error(Context ctx, VendorError error) {
        ObjectNode body = NODES.objectNode();
        ObjectNode e = body.putObject("error").put("code", error.status()).put("message", error.message());
        e.putArray("errors").addObject().put("message", error.message()).put("domain", "global").put("reason", error.code());
        json(ctx, error.status(), body);
    }
}
