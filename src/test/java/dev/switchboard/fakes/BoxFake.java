package dev.switchboard.fakes;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Box API 2.0 (vendors.md section 4): offset/limit with {@code total_count}, or markers with {@code usemarker=true}; multipart/form-data uploads on the
 * upload host ({@code /api/2.0/files/content}) with {@code attributes} before {@code file}; downloads answered with a
 * 302 to a separate download host ({@code localhost} here, where the API is {@code 127.0.0.1}) that needs no
 * credential; ClientError bodies; 401 with an empty body; 429 with retry-after.
 */
public final class BoxFake extends VendorFake {
    public record StoredFile(String id, String name, String parentId, byte[] bytes) {}

    private final List<ObjectNode> items = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Map<String, StoredFile> files = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong(12_345_000);
    /** The headers of each request the download host received. */
    private final List<Map<String, String>> downloads = java.util.Collections.synchronizedList(new ArrayList<>());

    public BoxFake(int itemCount) {
        for (int i = 1; i <= itemCount; i++) {
            items.add(NODES.objectNode().put("type", i % 4 == 0 ? "folder" : "file").put("id", String.valueOf(ids.incrementAndGet()))
                    .put("etag", "1").put("name", "item-" + i));
        }
    }

    @Override
    public void reset() {
        super.reset();
        downloads.clear();
    }

    public List<ObjectNode> items() { return items; }

    /** A file put in the root folder by other means (Box's web app, a sync client); returns its id. */
    public String addFile(String name) {
        String id = String.valueOf(ids.incrementAndGet());
        items.add(NODES.objectNode().put("type", "file").put("id", id).put("etag", "0").put("name", name));
        return id;
    }
    public Map<String, StoredFile> files() { return files; }
    public List<Map<String, String>> downloads() { return downloads; }
    public String apiUrl() { return baseUrl() + "/2.0"; }
    public String uploadUrl() { return baseUrl() + "/api/2.0"; }
    /** The download host: the same server under another host name. */
    public String downloadUrl() { return baseUrl().replace("127.0.0.1", "localhost"); }

    public StoredFile store(String name, byte[] bytes) {
        StoredFile file = new StoredFile(String.valueOf(ids.incrementAndGet()), name, "0", bytes);
        files.put(file.id(), file);
        return file;
    }

    @Override
    protected void routes(RoutesConfig routes) {
        get(routes, "/2.0/folders/{folderId}/items", "items", this::items);
        get(routes, "/2.0/search", "search", (ctx, body) -> {
            // Box's search pages by offset and limit (at most 200), with total_count, whatever the folders do.
            String query = String.valueOf(ctx.queryParam("query")).toLowerCase(java.util.Locale.ROOT);
            int limit = intParam(ctx, "limit", 30);
            int offset = intParam(ctx, "offset", 0);
            if (limit > 200) {
                error(ctx, new VendorError(400, "bad_request", "Invalid value for limit: at most 200"));
                return;
            }
            List<ObjectNode> found = items.stream().filter(i -> (ctx.queryParam("type") == null || i.get("type").asString().equals(ctx.queryParam("type")))
                    && i.get("name").asString().toLowerCase(java.util.Locale.ROOT).contains(query)).toList();
            ObjectNode answer = NODES.objectNode().put("total_count", found.size()).put("limit", limit).put("offset", offset).put("type", "search_results_items");
            answer.putArray("entries").addAll(found.subList(Math.min(offset, found.size()), Math.min(found.size(), offset + limit)));
            json(ctx, 200, answer);
        });
        post(routes, "/api/2.0/files/content", "upload", this::upload);
        get(routes, "/2.0/files/{fileId}/content", "download", (ctx, body) -> {
            StoredFile file = files.get(ctx.pathParam("fileId"));
            if (file == null) {
                error(ctx, new VendorError(404, "not_found", "Not Found"));
                return;
            }
            ctx.status(302).header("Location", downloadUrl() + "/d/" + file.id() + "/token-" + file.id() + "/" + file.name());
        });
        routes.addHttpHandler(HandlerType.GET, "/d/{fileId}/{token}/{name}", ctx -> {
            Map<String, String> headers = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            headers.putAll(ctx.headerMap());
            downloads.add(headers);
            StoredFile file = files.get(ctx.pathParam("fileId"));
            if (file == null || !ctx.pathParam("token").equals("token-" + file.id())) {
                ctx.status(404);
                return;
            }
            ctx.header("Content-Disposition", "attachment; filename=\"" + file.name() + "\"; filename*=UTF-8''" + file.name())
                    .contentType("application/octet-stream").result(file.bytes());
        });
    }

    private void items(Context ctx, JsonNode body) {
        if (!ctx.pathParam("folderId").equals("0")) {
            error(ctx, new VendorError(404, "not_found", "Not Found"));
            return;
        }
        int limit = intParam(ctx, "limit", 100);
        String direction = ctx.queryParam("direction");
        if (direction != null && !direction.equals("ASC") && !direction.equals("DESC")) {
            error(ctx, new VendorError(400, "bad_request", "Invalid value '" + direction + "'. Expected one of ASC, DESC."));
            return;
        }
        List<ObjectNode> items = "DESC".equals(direction) ? this.items.reversed() : this.items;
        if ("true".equals(ctx.queryParam("usemarker"))) {
            markerPage(ctx, items, limit);
            return;
        }
        int offset = intParam(ctx, "offset", 0);
        ObjectNode answer = NODES.objectNode().put("total_count", items.size()).put("limit", limit).put("offset", offset);
        ArrayNode entries = answer.putArray("entries");
        items.subList(Math.min(offset, items.size()), Math.min(items.size(), offset + limit)).forEach(entries::add);
        answer.putArray("order").addObject().put("by", "type").put("direction", "ASC");
        json(ctx, 200, answer);
    }

    /** Marker paging: an opaque marker, no total_count, and no next_marker on the last page. */
    private void markerPage(Context ctx, List<ObjectNode> items, int limit) {
        int start;
        try {
            String marker = ctx.queryParam("marker");
            start = marker == null ? 0 : Integer.parseInt(new String(java.util.Base64.getUrlDecoder().decode(marker),
                    java.nio.charset.StandardCharsets.UTF_8).substring("item:".length()));
        } catch (RuntimeException e) {
            error(ctx, new VendorError(400, "invalid_parameter", "Invalid value for 'marker'."));
            return;
        }
        int end = Math.min(items.size(), start + limit);
        ObjectNode answer = NODES.objectNode().put("limit", limit);
        items.subList(Math.min(start, end), end).forEach(answer.putArray("entries")::add);
        if (end < items.size()) {
            answer.put("next_marker", java.util.Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(("item:" + end).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        }
        json(ctx, 200, answer);
    }

    private void upload(Context ctx, JsonNode ignored) {
        List<Part> parts = multipart(ctx.contentType(), ctx.bodyAsBytes());
        if (parts == null || parts.size() != 2) {
            error(ctx, new VendorError(400, "bad_request", "Malformed multipart body"));
            return;
        }
        if (!parts.get(0).header("Content-Disposition").contains("name=\"attributes\"")) {
            error(ctx, new VendorError(400, "metadata_after_file_contents", "Metadata must come before the file contents"));
            return;
        }
        JsonNode attributes = JSON.readTree(parts.get(0).content());
        String name = attributes.path("name").asString("");
        String parent = attributes.at("/parent/id").asString("");
        if (files.values().stream().anyMatch(f -> f.name().equals(name) && f.parentId().equals(parent))) {
            error(ctx, new VendorError(409, "item_name_in_use", "Item with the same name already exists"));
            return;
        }
        StoredFile file = new StoredFile(String.valueOf(ids.incrementAndGet()), name, parent, parts.get(1).content());
        files.put(file.id(), file);
        ObjectNode answer = NODES.objectNode().put("total_count", 1);
        answer.putArray("entries").addObject().put("type", "file").put("id", file.id()).put("name", name)
                .put("size", file.bytes().length).put("sha1", sha1(file.bytes()))
                .putObject("parent").put("type", "folder").put("id", parent);
        json(ctx, 201, answer);
    }

    private static String sha1(byte[] bytes) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-1").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }


    @Override
    protected void rejectCredential(Context ctx) {
        ctx.status(401).header("WWW-Authenticate", "Bearer realm=\"Service\", error=\"invalid_token\", error_description=\"The access token provided is invalid.\"");
    }

    @Override
    protected void rateLimit(Context ctx, int retryAfterSeconds) {
        ctx.header("retry-after", String.valueOf(retryAfterSeconds));
        error(ctx, new VendorError(429, "rate_limit_exceeded", "Request rate limit exceeded, please try again later"));
    }

    @Override
    protected void error(Context ctx, VendorError error) {
        ObjectNode body = NODES.objectNode().put("type", "error").put("status", error.status()).put("code", error.code())
                .put("message", error.message()).put("help_url", "https://developer.box.com/guides/api-calls/permissions-and-errors/common-errors/")
                .put("request_id", "abcdef123456");
        body.putObject("context_info").put("message", error.message());
        json(ctx, error.status(), body);
    }
}
