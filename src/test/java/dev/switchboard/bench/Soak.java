package dev.switchboard.bench;

import dev.switchboard.cli.Main;
import dev.switchboard.fakes.SlackFake;
import dev.switchboard.testing.Http;
import dev.switchboard.testing.ServerProcesses;
import dev.switchboard.testing.TestDatabases;
import dev.switchboard.testing.Tokens;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A soak: mixed load (actions that write and read, the proxy, the Users API) against Switchboard started as its own
 * process(es), with a share of vendor calls faulted (500s, 429s asking for no wait, slow and unreadable answers).
 * It reports every answer by status and code, Switchboard's own 5xx (those not the vendor's), each node's heap
 * after collection and thread count at the start and the end, and whether every successful action has its run
 * record. SQLite: one node; PostgreSQL: two nodes on one database.
 *
 * <p>Run: {@code ./switchboard soak [minutes] [sqlite|postgres]} (default 10 minutes, sqlite).
 */
public final class Soak {
    private static final String ADMIN = "soak-operator-secret";
    private static final String MASTER_KEY = "c29hay1tYXN0ZXIta2V5LTMyLWJ5dGVzLWxvbmctLS0=";
    private static final int USERS = 20;
    private static final int CLIENTS = 16;
    private static final double FAULT_RATE = 0.05;
    /** Codes that say the vendor failed, not Switchboard. */
    private static final Set<String> VENDOR_CODES = Set.of("integration_error", "integration_timeout", "integration_unreachable",
            "integration_response_unreadable", "refresh_failed");

    public static void main(String[] args) throws Exception {
        Duration length = Duration.ofMinutes(args.length > 0 ? Long.parseLong(args[0]) : 10);
        boolean postgres = args.length > 1 && args[1].equals("postgres");
        String dbUrl = postgres ? TestDatabases.newDatabaseUrl(TestDatabases.Kind.POSTGRES) : null;
        try (SlackFake slack = new SlackFake(50, 30).withoutRecording().start(0)) {
            List<Node> nodes = new ArrayList<>();
            for (int i = 0; i < (postgres ? 2 : 1); i++) {
                nodes.add(new Node(dbUrl));
            }
            Node first = nodes.get(0);
            Map<String, String> admin = Map.of("Authorization", "Bearer " + ADMIN, "Content-Type", "application/json");
            String project = Http.send("POST", first.base + "/admin/projects", admin, "{\"name\":\"soak\"}").json().get("id").asString();
            String key = Http.send("POST", first.base + "/admin/projects/" + project + "/signing-keys", admin, "{}").json().get("privateKeyPem").asString();
            Http.send("PUT", first.base + "/admin/projects/" + project + "/integrations/slack", admin,
                    Http.json(Map.of("enabled", true, "urls", Map.of("api", slack.apiUrl()))));
            List<String> tokens = new ArrayList<>();
            for (int u = 0; u < USERS; u++) {
                String access = "xoxb-soak-" + u;
                slack.acceptToken(access);
                Http.send("POST", first.base + "/admin/projects/" + project + "/users/user-" + u + "/credentials", admin,
                        Http.json(Map.of("integration", "slack", "accessToken", access)));
                tokens.add(Tokens.sign(key, "user-" + u, c -> c.expirationTime(java.util.Date.from(java.time.Instant.now().plus(Duration.ofDays(1))))));
            }
            slack.faultRate(FAULT_RATE);

            Map<String, LongAdder> answers = new ConcurrentHashMap<>();
            LongAdder actionsSucceeded = new LongAdder();
            long started = System.nanoTime();
            long deadline = started + length.toNanos();
            Thread sampler = Thread.ofPlatform().daemon().start(() -> {
                while (System.nanoTime() < deadline) {
                    nodes.forEach(n -> n.sample(System.nanoTime() - started));
                    try {
                        Thread.sleep(2000);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int c = 0; c < CLIENTS; c++) {
                    clients.submit(() -> {
                        ThreadLocalRandom random = ThreadLocalRandom.current();
                        while (System.nanoTime() < deadline) {
                            Node node = nodes.get(random.nextInt(nodes.size()));
                            String token = tokens.get(random.nextInt(tokens.size()));
                            String base = node.base + "/projects/" + project;
                            Map<String, String> user = Map.of("Authorization", "Bearer " + token, "Content-Type", "application/json");
                            int pick = random.nextInt(100);
                            String op;
                            Http.Answer answer;
                            if (pick < 40) {
                                op = "action write";
                                answer = Http.send("POST", base + "/actions", user,
                                        "{\"action\":\"SLACK_SEND_MESSAGE\",\"parameters\":{\"channel\":\"#general\",\"message\":\"soak\"}}");
                            } else if (pick < 70) {
                                op = "action read";
                                answer = Http.send("POST", base + "/actions", user, "{\"action\":\"SLACK_LIST_MEMBERS\",\"parameters\":{\"limit\":10}}");
                            } else if (pick < 85) {
                                op = "proxy";
                                answer = Http.send("GET", base + "/sdk/proxy/slack/users.list", user, null);
                            } else {
                                op = "users api";
                                answer = Http.send("GET", base + "/sdk/me", user, null);
                            }
                            if (op.startsWith("action") && answer.status() == 200) {
                                actionsSucceeded.increment();
                            }
                            String code = answer.status() >= 400 ? codeOf(answer) : "";
                            answers.computeIfAbsent(op + " | " + answer.status() + " " + code, k -> new LongAdder()).increment();
                        }
                        return null;
                    });
                }
            }
            sampler.join();
            for (Node node : nodes) {
                node.close();
            }
            long recorded = succeededRuns(dbUrl, first.dataDir);

            long total = answers.values().stream().mapToLong(LongAdder::sum).sum();
            long ownFailures = answers.entrySet().stream().filter(e -> isOwn5xx(e.getKey())).mapToLong(e -> e.getValue().sum()).sum();
            System.out.printf("soak: %s, %d node(s), %d s, %d clients, %.0f %% of vendor calls faulted: %d answers%n",
                    postgres ? "PostgreSQL" : "SQLite", nodes.size(), length.toSeconds(), CLIENTS, FAULT_RATE * 100, total);
            new TreeMap<>(answers).forEach((k, v) -> System.out.printf("  %-60s %8d%n", k, v.sum()));
            System.out.printf("Switchboard's own 5xx: %d%n", ownFailures);
            // The first of each node's windows starts after a warm-up (a third of the run, at most a minute): pools
            // grow to their working size first. The heap is the lowest seen in each window, the troughs that
            // collections leave, which is what the live data holds.
            long window = Math.min(Duration.ofMinutes(1).toNanos(), length.toNanos() / 3);
            for (int i = 0; i < nodes.size(); i++) {
                Node node = nodes.get(i);
                long[] early = node.window(window, 2 * window);
                long[] late = node.window(length.toNanos() - window, length.toNanos());
                System.out.printf("node %d: heap after collections %d -> %d MiB, live threads %d -> %d (after warm-up, then the last %d s)%n",
                        i + 1, early[0] >> 20, late[0] >> 20, early[1], late[1], window / 1_000_000_000L);
            }
            System.out.printf("successful actions %d, run records SUCCEEDED %d: %s%n", actionsSucceeded.sum(), recorded,
                    actionsSucceeded.sum() == recorded ? "every one recorded" : "MISMATCH");
            System.exit(ownFailures == 0 && actionsSucceeded.sum() == recorded ? 0 : 1);
        }
    }

    private static String codeOf(Http.Answer answer) {
        try {
            return answer.json().path("code").asString("?");
        } catch (RuntimeException notJson) {
            return "(not JSON)";
        }
    }

    private static boolean isOwn5xx(String key) {
        Matcher m = Pattern.compile(" \\| (\\d{3}) (.*)$").matcher(key);
        return m.find() && Integer.parseInt(m.group(1)) >= 500 && !VENDOR_CODES.contains(m.group(2));
    }

    /** Successful action runs as stored, read from the database once the nodes have stopped. */
    private static long succeededRuns(String dbUrl, Path dataDir) throws Exception {
        String url = dbUrl != null ? dbUrl : "jdbc:sqlite:" + dataDir.resolve("switchboard.db");
        try (Connection c = DriverManager.getConnection(url);
             ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM runs WHERE status = 'SUCCEEDED' AND action <> 'PROXY'")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** A Switchboard process with a heap of 256 MiB. */
    private static final class Node implements AutoCloseable {
        final Process process;
        final String base;
        final Path dataDir;

        Node(String dbUrl) throws Exception {
            int port = ServerProcesses.freePort();
            dataDir = Files.createTempDirectory("soak").resolve("data");
            List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "-Xmx256m",
                    "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), Main.class.getName(), "serve",
                    "--port", String.valueOf(port), "--data-dir", dataDir.toString()));
            if (dbUrl != null) {
                command.addAll(List.of("--db-url", dbUrl));
            }
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(dataDir.getParent().resolve("server.log").toFile());
            builder.environment().put("SWITCHBOARD_ADMIN_TOKEN", ADMIN);
            builder.environment().put("SWITCHBOARD_MASTER_KEY", MASTER_KEY);
            process = builder.start();
            base = "http://127.0.0.1:" + port;
            ServerProcesses.waitForHealth(base, process);
        }

        /** {nanos since the load started, heap used, live threads}, every two seconds. */
        private final List<long[]> samples = new java.util.concurrent.CopyOnWriteArrayList<>();

        void sample(long at) {
            String metrics = Http.send("GET", base + "/metrics", Map.of(), null).text();
            samples.add(new long[] {at, (long) sum(metrics, "jvm_memory_used_bytes\\{area=\"heap\"[^}]*}"), (long) sum(metrics, "jvm_threads_live_threads")});
        }

        /** The lowest heap and the highest thread count sampled between the two times. */
        long[] window(long from, long to) {
            long heap = Long.MAX_VALUE;
            long threads = 0;
            for (long[] s : samples) {
                if (s[0] >= from && s[0] <= to) {
                    heap = Math.min(heap, s[1]);
                    threads = Math.max(threads, s[2]);
                }
            }
            return new long[] {heap == Long.MAX_VALUE ? -1 : heap, threads};
        }

        private static double sum(String text, String series) {
            Matcher m = Pattern.compile("(?m)^" + series + "(\\{[^}]*})? ([0-9.eE+-]+)$").matcher(text);
            double total = 0;
            while (m.find()) {
                total += Double.parseDouble(m.group(2));
            }
            return total;
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            process.waitFor();
        }
    }
}
