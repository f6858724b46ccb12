package dev.switchboard.bench;

import dev.switchboard.fakes.spec.SpecFake;
import dev.switchboard.openapi.OpenApiImporter;
import dev.switchboard.openapi.OpenApiImporter.Selection;
import dev.switchboard.testing.ServerProcesses;
import dev.switchboard.testing.Tokens;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The catalog at scale ({@code ./switchboard bench-catalog}): a catalog of 30 integrations and 500 actions, imported
 * with {@code import-openapi} from vendors' own descriptions, against the shipped catalog in the same run. For
 * each: process start to first answered request (fresh data directory, then a restart), {@code GET /actions} and
 * MCP {@code tools/list} with every integration enabled (p50 and p99 of the server time in each answer's
 * {@code Server-Timing}, over one keep-alive connection), and heap after start (after a full GC). Start-up is the
 * median of five starts of each kind. Switchboard runs from its jar with its class-data archive, as the launcher
 * runs it.
 */
public final class CatalogScale {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String ADMIN = "catalog-scale-operator-secret";
    private static final String MASTER_KEY = "Y2F0YWxvZy1zY2FsZS1tYXN0ZXIta2V5LTMyLWJ5dGU=";
    /** OpenAPI documents the scale catalog is imported from, each giving several integrations. */
    private static final List<String> DOCUMENTS = List.of("asana-openapi.yaml", "box-openapi.json", "xero-accounting.yaml",
            "confluence-v2.json", "dropboxsign-openapi.yaml", "zendesk-support-openapi.yaml", "intercom-openapi-2.16.yaml",
            "jira-cloud-platform-v3.json");
    private static final int INTEGRATIONS = 30;
    private static final int ACTIONS = 500;
    private static final int REQUESTS = Integer.getInteger("bench.requests", 300);
    private static final int STARTS = Integer.getInteger("bench.starts", 5);
    private static final boolean AOT = Runtime.version().feature() >= 25;

    private record Figures(String catalog, int integrations, int actions, long freshStartMs, long restartMs, double actionsP50,
                           double actionsP99, int actionsBytes, double toolsP50, double toolsP99, long heapMiB) {}

    public static void main(String[] args) throws Exception {
        Path jar = Path.of(System.getProperty("bench.jar", "target/switchboard.jar")).toAbsolutePath();
        Path work = Files.createTempDirectory("catalog-scale");
        Path scaleDefinitions = work.resolve("scale-integrations");
        int[] made = writeScaleCatalog(scaleDefinitions);
        System.out.printf("scale catalog: %d integrations, %d actions imported from %d vendor descriptions%n", made[0], made[1], DOCUMENTS.size());

        Figures shipped = measure("shipped", jar, work.resolve("shipped"), null);
        Figures scale = measure("scale", jar, work.resolve("scale"), scaleDefinitions);

        System.out.println();
        System.out.println("| catalog | integrations | actions | start, fresh data dir | restart | GET /actions server time p50 / p99 | size | tools/list server time p50 / p99 | heap after start |");
        System.out.println("|---|---|---|---|---|---|---|---|---|");
        for (Figures f : List.of(shipped, scale)) {
            System.out.printf("| %s | %d | %d | %d ms | %d ms | %.2f / %.2f ms | %d kB | %.2f / %.2f ms | %d MiB |%n", f.catalog(), f.integrations(),
                    f.actions(), f.freshStartMs(), f.restartMs(), f.actionsP50(), f.actionsP99(), f.actionsBytes() / 1024, f.toolsP50(),
                    f.toolsP99(), f.heapMiB());
        }
        System.out.printf("| ratio scale/shipped | | %.1f | %.2f | %.2f | %.2f | | %.2f | %.2f |%n", (double) scale.actions() / shipped.actions(),
                (double) scale.freshStartMs() / shipped.freshStartMs(), (double) scale.restartMs() / shipped.restartMs(),
                scale.actionsP50() / shipped.actionsP50(), scale.toolsP50() / shipped.toolsP50(), (double) scale.heapMiB() / shipped.heapMiB());
    }

    /** Imports operations of the documents into INTEGRATIONS definitions holding ACTIONS actions in all. */
    static int[] writeScaleCatalog(Path dir) throws Exception {
        Files.createDirectories(dir);
        List<List<String>> perDocument = new ArrayList<>();
        for (String document : DOCUMENTS) {
            String text = Files.readString(SpecFake.DOCUMENTS.resolve(document));
            perDocument.add(importable(document, text));
        }
        int perIntegration = (int) Math.ceil((double) ACTIONS / INTEGRATIONS);
        int integrations = 0;
        int actions = 0;
        int[] next = new int[DOCUMENTS.size()];
        while (integrations < INTEGRATIONS && actions < ACTIONS) {
            int d = integrations % DOCUMENTS.size();
            for (int tried = 0; tried < DOCUMENTS.size() && perDocument.get(d).size() - next[d] < perIntegration; tried++) {
                d = (d + 1) % DOCUMENTS.size(); // this document is used up: the next with room
            }
            List<String> operations = perDocument.get(d);
            int count = Math.min(Math.min(perIntegration, ACTIONS - actions), operations.size() - next[d]);
            if (count <= 0) {
                throw new IllegalStateException(DOCUMENTS.get(d) + " has too few importable operations for the scale catalog");
            }
            String key = "scale" + (integrations + 1);
            List<Selection> selections = new ArrayList<>();
            for (String operation : operations.subList(next[d], next[d] + count)) {
                Selection s = Selection.parse(operation);
                selections.add(new Selection(s.method(), s.path(), "SCALE" + (integrations + 1) + "_" + (selections.size() + 1)));
            }
            next[d] += count;
            String text = Files.readString(SpecFake.DOCUMENTS.resolve(DOCUMENTS.get(d)));
            String yaml = new OpenApiImporter(key, DOCUMENTS.get(d), text, Optional.empty()).importOperations(selections);
            Files.writeString(dir.resolve(key + ".yaml"), yaml);
            integrations++;
            actions += count;
        }
        return new int[] {integrations, actions};
    }

    /** The operations of a document the importer takes, one by one, as "METHOD /path". */
    private static List<String> importable(String document, String text) {
        OpenApiImporter importer = new OpenApiImporter("probe", document, text, Optional.empty());
        List<String> operations = new ArrayList<>();
        for (Selection s : importer.operations()) {
            try {
                importer.importOperations(List.of(new Selection(s.method(), s.path(), "PROBE_ACTION")));
                operations.add(s.method() + " " + s.path());
            } catch (RuntimeException notImportable) {
                // multipart bodies, bodies that are not objects: not part of the scale catalog
            }
        }
        return operations;
    }

    private static Figures measure(String name, Path jar, Path dataDir, Path definitions) throws Exception {
        Path archive = dataDir.getParent().resolve(name + (AOT ? ".aot" : ".jsa"));
        // The first run writes the ahead-of-time cache or class-data archive (as the launcher's first run does); it
        // is not measured.
        try (Node warm = new Node(jar, archive, fresh(dataDir.resolve("warm"), definitions))) {
            warm.get("/healthz");
        }
        List<Long> fresh = new ArrayList<>();
        List<Long> restarts = new ArrayList<>();
        Path kept = null;
        for (int i = 0; i < STARTS; i++) {
            Path dir = fresh(dataDir.resolve("run" + i), definitions);
            try (Node node = new Node(jar, archive, dir)) {
                fresh.add(node.startMillis);
            }
            try (Node node = new Node(jar, archive, dir)) {
                restarts.add(node.startMillis);
            }
            kept = dir;
        }
        try (Node node = new Node(jar, archive, kept)) {
            long heap = node.heapAfterGc();
            String project = node.admin("POST", "/admin/projects", "{\"name\": \"scale\"}").get("id").asString();
            JsonNode key = node.admin("POST", "/admin/projects/" + project + "/signing-keys", "{}");
            // every integration the node loaded: the shipped ones and the data directory's own
            Set<String> integrations = new LinkedHashSet<>(dev.switchboard.integrations.IntegrationCatalog.shipped().keySet());
            try (var files = Files.list(kept.resolve("integrations"))) {
                files.forEach(f -> integrations.add(f.getFileName().toString().replace(".yaml", "")));
            }
            for (String integration : integrations) {
                node.admin("PUT", "/admin/projects/" + project + "/integrations/" + integration, "{\"enabled\": true}");
            }
            String token = Tokens.sign(key.get("privateKeyPem").asString(), "scale-user", c -> c);
            HttpRequest actions = HttpRequest.newBuilder(URI.create(node.base + "/projects/" + project + "/actions?limit_to_available=false"))
                    .header("Authorization", "Bearer " + token).GET().build();
            HttpRequest tools = HttpRequest.newBuilder(URI.create(node.base + "/projects/" + project + "/mcp"))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .header("Accept", "application/json, text/event-stream")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}")).build();
            HttpResponse<String> listed = node.client.send(actions, HttpResponse.BodyHandlers.ofString());
            int actionCount = 0;
            for (JsonNode list : JSON.readTree(listed.body()).path("actions")) {
                actionCount += list.size();
            }
            HttpResponse<String> toolList = node.client.send(tools, HttpResponse.BodyHandlers.ofString());
            int toolCount = JSON.readTree(toolList.body()).at("/result/tools").size();
            if (listed.statusCode() != 200 || toolList.statusCode() != 200 || toolCount != actionCount) {
                throw new IllegalStateException("listing failed: " + listed.statusCode() + " " + toolList.statusCode() + " tools " + toolCount + " actions " + actionCount);
            }
            double[] actionTimes = times(node.client, actions);
            double[] toolTimes = times(node.client, tools);
            return new Figures(name, integrations.size(), actionCount, median(fresh), median(restarts), percentile(actionTimes, 50),
                    percentile(actionTimes, 99), listed.body().length(), percentile(toolTimes, 50), percentile(toolTimes, 99), heap);
        }
    }

    private static Path fresh(Path dir, Path definitions) throws Exception {
        Files.createDirectories(dir.resolve("integrations"));
        if (definitions != null) {
            try (var files = Files.list(definitions)) {
                for (Path file : files.toList()) {
                    Files.copy(file, dir.resolve("integrations").resolve(file.getFileName()));
                }
            }
        }
        return dir;
    }

    /**
     * Server time in milliseconds (the answer's {@code Server-Timing}), after as many requests again to warm up,
     * sorted; the round trips' median goes to standard output beside it.
     */
    private static double[] times(HttpClient client, HttpRequest request) throws Exception {
        for (int i = 0; i < REQUESTS; i++) {
            client.send(request, HttpResponse.BodyHandlers.discarding());
        }
        double[] times = new double[REQUESTS];
        double[] roundTrips = new double[REQUESTS];
        for (int i = 0; i < REQUESTS; i++) {
            long started = System.nanoTime();
            HttpResponse<Void> answer = client.send(request, HttpResponse.BodyHandlers.discarding());
            roundTrips[i] = (System.nanoTime() - started) / 1e6;
            if (answer.statusCode() != 200) {
                throw new IllegalStateException("answered " + answer.statusCode());
            }
            String timing = answer.headers().firstValue("Server-Timing").orElseThrow(() -> new IllegalStateException("no Server-Timing header"));
            times[i] = Double.parseDouble(timing.replaceAll(".*dur=", ""));
        }
        Arrays.sort(times);
        Arrays.sort(roundTrips);
        System.out.printf("%s: server time p50 %.2f ms, round trip p50 %.2f ms%n", request.uri().getPath(), percentile(times, 50), percentile(roundTrips, 50));
        return times;
    }

    private static double percentile(double[] sorted, int p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }

    private static long median(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    /** Switchboard as its own process, from its jar with a class-data archive. */
    private static final class Node implements AutoCloseable {
        final Process process;
        final String base;
        final long startMillis;
        final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

        Node(Path jar, Path archive, Path dataDir) throws Exception {
            int port = ServerProcesses.freePort();
            String java = ProcessHandle.current().info().command().orElse("java");
            List<String> command = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-Xlog:cds=off"));
            // As the launcher runs it: JDK 25's ahead-of-time cache, written by the first run; else a class-data archive.
            command.addAll(AOT ? List.of(Files.exists(archive) ? "-XX:AOTCache=" + archive : "-XX:AOTCacheOutput=" + archive, "-Xlog:aot=off")
                    : List.of("-XX:+AutoCreateSharedArchive", "-XX:SharedArchiveFile=" + archive, "-Xlog:cds+dynamic=off"));
            command.addAll(List.of("-jar", jar.toString(), "serve", "--port", String.valueOf(port), "--data-dir", dataDir.toString()));
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(dataDir.resolve("server.log").toFile()));
            builder.environment().put("SWITCHBOARD_ADMIN_TOKEN", ADMIN);
            builder.environment().put("SWITCHBOARD_MASTER_KEY", MASTER_KEY);
            long started = System.nanoTime();
            process = builder.start();
            base = "http://127.0.0.1:" + port;
            ServerProcesses.waitForHealth(base, process);
            startMillis = (System.nanoTime() - started) / 1_000_000;
        }

        JsonNode get(String path) throws Exception {
            return JSON.readTree(client.send(HttpRequest.newBuilder(URI.create(base + path)).build(), HttpResponse.BodyHandlers.ofString()).body());
        }

        JsonNode admin(String method, String path, String body) throws Exception {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + ADMIN)
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
            if (body != null) {
                request.header("Content-Type", "application/json");
            }
            HttpResponse<String> answer = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() >= 300) {
                throw new IllegalStateException(method + " " + path + " answered " + answer.statusCode() + ": " + answer.body());
            }
            return JSON.readTree(answer.body());
        }

        /** Heap in use after a full GC, from the server's own metrics. */
        long heapAfterGc() throws Exception {
            Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
            new ProcessBuilder(jcmd.toString(), String.valueOf(process.pid()), "GC.run").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
            String metrics = client.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
            Matcher m = Pattern.compile("jvm_memory_used_bytes\\{area=\"heap\"[^}]*} ([0-9.E+]+)").matcher(metrics);
            double bytes = 0;
            while (m.find()) {
                bytes += Double.parseDouble(m.group(1));
            }
            return Math.round(bytes / (1 << 20));
        }

        @Override
        public void close() throws Exception {
            process.destroy();
            process.waitFor();
        }
    }

    private CatalogScale() {}
}
