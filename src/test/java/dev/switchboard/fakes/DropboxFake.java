package dev.switchboard.fakes;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Dropbox API v2 as its Stone specs and reference describe it (no OpenAPI description exists), strict where Dropbox
 * is: every route a POST; RPC routes take a JSON body and refuse unknown fields with a plain-text 400; content routes
 * (served here below {@code /content}, as a second host) take their argument as ASCII-only JSON in
 * {@code Dropbox-API-Arg}, downloads no body, uploads {@code application/octet-stream}; lists answer a cursor on every
 * page and end with {@code has_more: false}, and go on only through their {@code /continue} route with the cursor
 * alone; route errors are 409 {@code {"error_summary": "path/not_found/..", "error": {...}}}.
 */
public final class DropboxFake extends VendorFake {
    public static final String EMAIL = "ada@example.com";

    /** A file or folder, by its lower-case path. */
    private record Entry(String tag, String pathDisplay, String id, String rev, byte[] bytes) {
        String name() {
            return pathDisplay.substring(pathDisplay.lastIndexOf('/') + 1);
        }
    }

    private final Map<String, Entry> entries = new TreeMap<>();
    private final AtomicLong ids = new AtomicLong(1000);

    /** @param fileCount files /Reports/report-01.txt.. in a folder /Reports */
    public DropboxFake(int fileCount) {
        folder("/Reports");
        for (int i = 1; i <= fileCount; i++) {
            file(String.format("/Reports/report-%02d.txt", i), ("Report " + i).getBytes(StandardCharsets.UTF_8));
        }
        tokenAnswerExtras(NODES.objectNode().put("account_id", "dbid:AAH4f99T0taONIb-OurWxbNQ6ywGRopQngc").put("uid", "12345")
                .put("scope", "files.content.read files.content.write account_info.read"));
    }

    public String apiUrl() {
        return baseUrl() + "/2";
    }

    public String contentUrl() {
        return baseUrl() + "/content/2";
    }

    public synchronized DropboxFake folder(String path) {
        entries.put(path.toLowerCase(Locale.ROOT), new Entry("folder", path, "id:f" + ids.incrementAndGet(), null, null));
        return this;
    }

    public synchronized DropboxFake file(String path, byte[] bytes) {
        entries.put(path.toLowerCase(Locale.ROOT), new Entry("file", path, "id:a" + ids.incrementAndGet(), Long.toHexString(ids.incrementAndGet() * 7919), bytes));
        return this;
    }

    public synchronized byte[] bytes(String path) {
        Entry entry = entries.get(path.toLowerCase(Locale.ROOT));
        return entry == null ? null : entry.bytes();
    }

    public synchronized boolean exists(String path) {
        return entries.containsKey(path.toLowerCase(Locale.ROOT));
    }

    @Override
    protected void routes(RoutesConfig routes) {
        rpc(routes, "/2/files/list_folder", "listFolder", Set.of("path", "recursive", "include_deleted", "limit",
                "include_mounted_folders", "include_non_downloadable_files"), this::listFolder);
        rpc(routes, "/2/files/list_folder/continue", "listFolderContinue", Set.of("cursor"), (ctx, body) -> continueListing(ctx, body, "list"));
        rpc(routes, "/2/files/search_v2", "search", Set.of("query", "options", "match_field_options"), this::search);
        rpc(routes, "/2/files/search/continue_v2", "searchContinue", Set.of("cursor"), (ctx, body) -> continueListing(ctx, body, "search"));
        rpc(routes, "/2/files/create_folder_v2", "createFolder", Set.of("path", "autorename"), (ctx, body) -> {
            String path = body.path("path").asString("");
            synchronized (this) {
                if (entries.containsKey(path.toLowerCase(Locale.ROOT))) {
                    routeError(ctx, "path/conflict/folder/", "path", "conflict");
                    return;
                }
                folder(path);
                json(ctx, 200, NODES.objectNode().set("metadata", metadata(entries.get(path.toLowerCase(Locale.ROOT)), false)));
            }
        });
        rpc(routes, "/2/files/move_v2", "move", Set.of("from_path", "to_path", "autorename", "allow_ownership_transfer"), (ctx, body) -> relocate(ctx, body, true));
        rpc(routes, "/2/files/copy_v2", "copy", Set.of("from_path", "to_path", "autorename", "allow_ownership_transfer"), (ctx, body) -> relocate(ctx, body, false));
        rpc(routes, "/2/files/get_metadata", "getMetadata", Set.of("path", "include_media_info", "include_deleted",
                "include_has_explicit_shared_members"), (ctx, body) -> {
            Entry entry = lookUp(body.path("path").asString(""));
            if (entry == null) {
                routeError(ctx, "path/not_found/", "path", "not_found");
                return;
            }
            json(ctx, 200, metadata(entry, true));
        });
        rpc(routes, "/2/files/delete_v2", "delete", Set.of("path", "parent_rev"), (ctx, body) -> {
            synchronized (this) {
                Entry entry = lookUp(body.path("path").asString(""));
                if (entry == null) {
                    routeError(ctx, "path_lookup/not_found/", "path_lookup", "not_found");
                    return;
                }
                String prefix = entry.pathDisplay().toLowerCase(Locale.ROOT);
                entries.keySet().removeIf(p -> p.equals(prefix) || p.startsWith(prefix + "/"));
                json(ctx, 200, NODES.objectNode().set("metadata", metadata(entry, true)));
            }
        });
        rpc(routes, "/2/sharing/create_shared_link_with_settings", "sharedLink", Set.of("path", "settings"), (ctx, body) -> {
            Entry entry = lookUp(body.path("path").asString(""));
            if (entry == null) {
                routeError(ctx, "path/not_found/", "path", "not_found");
                return;
            }
            json(ctx, 200, NODES.objectNode().put(".tag", entry.tag()).put("url", "https://www.dropbox.com/s/abc/" + entry.name() + "?dl=0")
                    .put("name", entry.name()).put("path_lower", entry.pathDisplay().toLowerCase(Locale.ROOT)));
        });
        post(routes, "/2/users/get_current_account", "account", (ctx, body) -> {
            if (ctx.bodyAsBytes().length > 0 && !"null".equals(ctx.body().strip())) {
                badRequest(ctx, "users/get_current_account", "request body: expected null, got value");
                return;
            }
            ObjectNode account = NODES.objectNode().put("account_id", "dbid:AAH4f99T0taONIb-OurWxbNQ6ywGRopQngc").put("email", EMAIL)
                    .put("email_verified", true);
            account.putObject("name").put("display_name", "Ada Lovelace");
            json(ctx, 200, account);
        });
        post(routes, "/content/2/files/download", "download", (ctx, body) -> {
            JsonNode arg = arg(ctx, "files/download");
            if (arg == null) return;
            if (ctx.bodyAsBytes().length > 0 || String.valueOf(ctx.contentType()).startsWith("application/json")) {
                badRequest(ctx, "files/download", "this function takes no request body; put its argument in Dropbox-API-Arg");
                return;
            }
            Entry entry = lookUp(arg.path("path").asString(""));
            if (entry == null || !entry.tag().equals("file")) {
                routeError(ctx, entry == null ? "path/not_found/" : "path/not_file/", "path", entry == null ? "not_found" : "not_file");
                return;
            }
            ctx.header("Dropbox-API-Result", asciiJson(metadata(entry, false)));
            ctx.status(200).contentType("application/octet-stream").result(entry.bytes());
        });
        post(routes, "/content/2/files/upload", "upload", (ctx, body) -> {
            JsonNode arg = arg(ctx, "files/upload");
            if (arg == null) return;
            if (!"application/octet-stream".equals(ctx.contentType())) {
                badRequest(ctx, "files/upload", "Bad HTTP \"Content-Type\" header: \"" + ctx.contentType()
                        + "\". Expecting one of \"application/octet-stream\", \"text/plain; charset=dropbox-cors-hack\".");
                return;
            }
            String path = arg.path("path").asString("");
            synchronized (this) {
                if (entries.containsKey(path.toLowerCase(Locale.ROOT)) && !"overwrite".equals(arg.path("mode").asString("add"))) {
                    if (!arg.path("autorename").asBoolean(false)) {
                        routeError(ctx, "path/conflict/file/", "path", "conflict");
                        return;
                    }
                    int dot = path.lastIndexOf('.');
                    path = dot > path.lastIndexOf('/') ? path.substring(0, dot) + " (1)" + path.substring(dot) : path + " (1)";
                }
                file(path, ctx.bodyAsBytes());
                json(ctx, 200, metadata(entries.get(path.toLowerCase(Locale.ROOT)), false));
            }
        });
    }

    /** An RPC route: JSON in, unknown fields refused as Dropbox does (a plain-text 400 naming the function). */
    private void rpc(RoutesConfig routes, String path, String operation, Set<String> fields, Operation action) {
        String function = path.substring("/2/".length());
        post(routes, path, operation, (ctx, body) -> {
            if (!String.valueOf(ctx.contentType()).startsWith("application/json")) {
                badRequest(ctx, function, "Bad HTTP \"Content-Type\" header: \"" + ctx.contentType() + "\". Expecting \"application/json\".");
                return;
            }
            for (String field : body.propertyNames()) {
                if (!fields.contains(field)) {
                    badRequest(ctx, function, "request body: unknown field '" + field + "'");
                    return;
                }
            }
            action.answer(ctx, body);
        });
    }

    /** A content route's argument, from Dropbox-API-Arg: JSON whose characters are all ASCII. */
    private JsonNode arg(Context ctx, String function) {
        String header = ctx.header("Dropbox-API-Arg");
        if (header == null) {
            badRequest(ctx, function, "Missing \"Dropbox-API-Arg\" header.");
            return null;
        }
        if (!StandardCharsets.US_ASCII.newEncoder().canEncode(header)) {
            badRequest(ctx, function, "HTTP header \"Dropbox-API-Arg\": could not decode input as JSON");
            return null;
        }
        return JSON.readTree(header);
    }

    private static String asciiJson(JsonNode value) {
        StringBuilder out = new StringBuilder();
        for (char c : value.toString().toCharArray()) {
            out.append(c > 0x7E ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return out.toString();
    }

    private synchronized Entry lookUp(String path) {
        if (path.startsWith("id:")) {
            return entries.values().stream().filter(e -> e.id().equals(path)).findFirst().orElse(null);
        }
        return entries.get(path.toLowerCase(Locale.ROOT));
    }

    private void listFolder(Context ctx, JsonNode body) {
        String path = body.path("path").asString("");
        if (path.equals("/")) {
            badRequest(ctx, "files/list_folder", "request body: path: Specify the root folder as an empty string rather than as \"/\".");
            return;
        }
        String folder = path.isEmpty() ? "" : lookUp(path) == null ? null : lookUp(path).pathDisplay().toLowerCase(Locale.ROOT);
        if (folder == null) {
            routeError(ctx, "path/not_found/", "path", "not_found");
            return;
        }
        page(ctx, "list", folder, 0, body.path("limit").asInt(2000));
    }

    private void search(Context ctx, JsonNode body) {
        String query = body.path("query").asString("").toLowerCase(Locale.ROOT);
        JsonNode options = body.path("options");
        boolean foldersOnly = false;
        for (JsonNode category : options.path("file_categories")) {
            foldersOnly |= category.asString().equals("folder");
        }
        String key = (foldersOnly ? "F" : "A") + "|" + options.path("path").asString("").toLowerCase(Locale.ROOT) + "|" + query;
        page(ctx, "search", key, 0, options.path("max_results").asInt(100));
    }

    /** A cursor encodes the listing and where it stopped; continuing with anything else is a plain-text 400. */
    private void continueListing(Context ctx, JsonNode body, String kind) {
        String[] cursor = body.path("cursor").asString("").split("\\|", 4);
        if (cursor.length != 4 || !cursor[0].equals(kind)) {
            routeError(ctx, "reset/", "reset", null);
            return;
        }
        page(ctx, kind, cursor[3], Integer.parseInt(cursor[1]), Integer.parseInt(cursor[2]));
    }

    private synchronized void page(Context ctx, String kind, String key, int offset, int limit) {
        List<Entry> found = new ArrayList<>();
        if (kind.equals("list")) {
            entries.values().stream().filter(e -> e.pathDisplay().toLowerCase(Locale.ROOT).startsWith(key + "/")
                    && e.pathDisplay().substring(key.length() + 1).indexOf('/') < 0).forEach(found::add);
        } else {
            String[] parts = key.split("\\|", 3);
            entries.values().stream().filter(e -> parts[0].equals("A") || e.tag().equals("folder"))
                    .filter(e -> e.pathDisplay().toLowerCase(Locale.ROOT).startsWith(parts[1]))
                    .filter(e -> e.name().toLowerCase(Locale.ROOT).contains(parts[2])).forEach(found::add);
        }
        int end = Math.min(found.size(), offset + limit);
        boolean more = end < found.size();
        ObjectNode answer = NODES.objectNode();
        ArrayNode list = answer.putArray(kind.equals("list") ? "entries" : "matches");
        for (Entry entry : found.subList(Math.min(offset, found.size()), end)) {
            if (kind.equals("list")) {
                list.add(metadata(entry, true));
            } else {
                ObjectNode match = list.addObject();
                match.putObject("match_type").put(".tag", "filename");
                match.putObject("metadata").put(".tag", "metadata").set("metadata", metadata(entry, true));
            }
        }
        String cursor = kind + "|" + end + "|" + limit + "|" + key;
        answer.put("has_more", more);
        if (kind.equals("list") || more) {
            answer.put("cursor", cursor); // a listing's cursor stays on its last page (it watches the folder); a search's does not
        } else {
            answer.putNull("cursor");
        }
        json(ctx, 200, answer);
    }

    private void relocate(Context ctx, JsonNode body, boolean move) {
        synchronized (this) {
            Entry from = lookUp(body.path("from_path").asString(""));
            String to = body.path("to_path").asString("");
            if (from == null) {
                routeError(ctx, "from_lookup/not_found/", "from_lookup", "not_found");
                return;
            }
            if (entries.containsKey(to.toLowerCase(Locale.ROOT))) {
                routeError(ctx, "to/conflict/file/", "to", "conflict");
                return;
            }
            String prefix = from.pathDisplay();
            for (Entry entry : List.copyOf(entries.values())) {
                if (entry.pathDisplay().equalsIgnoreCase(prefix) || entry.pathDisplay().toLowerCase(Locale.ROOT).startsWith(prefix.toLowerCase(Locale.ROOT) + "/")) {
                    String moved = to + entry.pathDisplay().substring(prefix.length());
                    if (move) {
                        entries.remove(entry.pathDisplay().toLowerCase(Locale.ROOT));
                    }
                    entries.put(moved.toLowerCase(Locale.ROOT), new Entry(entry.tag(), moved, move ? entry.id() : "id:c" + ids.incrementAndGet(),
                            entry.rev(), entry.bytes()));
                }
            }
            json(ctx, 200, NODES.objectNode().set("metadata", metadata(entries.get(to.toLowerCase(Locale.ROOT)), true)));
        }
    }

    private static ObjectNode metadata(Entry entry, boolean tagged) {
        ObjectNode metadata = NODES.objectNode();
        if (tagged) {
            metadata.put(".tag", entry.tag());
        }
        metadata.put("name", entry.name()).put("path_lower", entry.pathDisplay().toLowerCase(Locale.ROOT)).put("path_display", entry.pathDisplay())
                .put("id", entry.id());
        if (entry.tag().equals("file")) {
            metadata.put("client_modified", "2026-11-30T10:00:00Z").put("server_modified", "2026-11-30T10:00:00Z").put("rev", entry.rev())
                    .put("size", entry.bytes().length).put("is_downloadable", true);
        }
        return metadata;
    }

    private void routeError(Context ctx, String summary, String tag, String inner) {
        ObjectNode error = NODES.objectNode().put(".tag", tag);
        if (inner != null) {
            error.putObject(tag).put(".tag", inner);
        }
        ObjectNode body = NODES.objectNode().put("error_summary", summary + "..");
        body.set("error", error);
        json(ctx, 409, body);
    }

    private static void badRequest(Context ctx, String function, String message) {
        ctx.status(400).contentType("text/plain; charset=utf-8").result("Error in call to API function \"" + function + "\": " + message);
    }

    /** Dropbox's short-lived tokens expire after four hours: one this fake issued (or named so) has expired, any other is invalid. */
    @Override
    protected void rejectCredential(Context ctx) {
        String token = String.valueOf(credentialOf(ctx));
        String tag = token.startsWith("oauth-access-") || token.startsWith("sl.expired") ? "expired_access_token" : "invalid_access_token";
        json(ctx, 401, NODES.objectNode().put("error_summary", tag + "/..").set("error", NODES.objectNode().put(".tag", tag)));
    }

    @Override
    protected void rateLimit(Context ctx, int retryAfterSeconds) {
        ctx.header("Retry-After", String.valueOf(retryAfterSeconds));
        ObjectNode error = NODES.objectNode().put("retry_after", retryAfterSeconds);
        error.putObject("reason").put(".tag", "too_many_requests");
        json(ctx, 429, NODES.objectNode().put("error_summary", "too_many_requests/..").set("error", error));
    }

    @Override
    protected void error(Context ctx, VendorError error) {
        routeError(ctx, error.code(), error.code().split("/")[0], null);
    }
}
