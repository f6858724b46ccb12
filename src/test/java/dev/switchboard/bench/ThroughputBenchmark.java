package dev.switchboard.bench;

import dev.switchboard.fakes.SlackFake;
import dev.switchboard.testing.Http;
import dev.switchboard.testing.ServerProcesses;
import dev.switchboard.testing.Tokens;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What Switchboard costs on top of the vendor call (issues 7 and 24), measured side by side in one run against the
 * same local vendor, nginx answering chat.postMessage with a fixed body (or, with {@code -Dbench.vendor=fake}, the Java
 * Slack fake): (a) the vendor directly, (b) nginx proxying to it, (c) SLACK_SEND_MESSAGE through Switchboard, (d) the
 * same call through its Proxy API, (e) the same hop through {@link BareLoopProxy}, Java with none of Switchboard's work
 * (what the JVM and Netty cost on this machine); each row with the CPU time its measured process spent per request. Peak throughput with wrk (keep-alive, fixed connections);
 * then latency at half of Switchboard's peak with an open-loop generator (requests sent on a fixed schedule,
 * latency counted from the scheduled start, so a slow server cannot hide its queueing).
 *
 * <p>Run: {@code ./switchboard bench} (installs wrk and nginx from Debian when missing); with
 * {@code -Dbench.splitCores=true}, nginx and Switchboard run alone on one core, wrk and the fake on the rest.
 */
public final class ThroughputBenchmark {
    private static final String ADMIN = "bench-operator-secret";
    private static final String SLACK_TOKEN = "xoxb-bench";
    private static final String BODY = "{\"channel\":\"#general\",\"text\":\"benchmark\"}";
    private static final int CONNECTIONS = Integer.getInteger("bench.connections", 32);
    private static final int SECONDS = Integer.getInteger("bench.seconds", 10);
    private static final int WRK_THREADS = 2;
    private static final int ROUNDS = Integer.getInteger("bench.rounds", 3);
    private static final long CLOCK_TICKS_PER_SECOND = 100; // USER_HZ on Linux x86-64
    private static final int PACED_CONNECTIONS = 16;
    private static final boolean PROFILE_PROXY = "d".equals(System.getProperty("bench.profileRun", "c"));
    private static final int CORES = Runtime.getRuntime().availableProcessors();
    // -Dbench.splitCores: the system under test (nginx or Switchboard) alone on the last core; wrk and the fake
    // (this JVM and its children) on the others, so that neither side's scheduling shows up in the other's figures.
    private static final boolean SPLIT_CORES = Boolean.getBoolean("bench.splitCores");
    // -Dbench.vendor=fake: the Java Slack fake plays the vendor (the earlier measure); by default nginx does, with a
    // fixed chat.postMessage answer, so that the vendor's cost is nginx's in every run and the ratios are not flattered.
    private static final boolean NGINX_VENDOR = !"fake".equals(System.getProperty("bench.vendor", "nginx"));
    private static final String VENDOR_NAME = NGINX_VENDOR ? "nginx vendor" : "Slack fake";
    private static final String SLACK_ANSWER = "{\"ok\":true,\"channel\":\"C0123456789\",\"ts\":\"1700000000.000100\","
            + "\"message\":{\"type\":\"message\",\"text\":\"benchmark\",\"user\":\"U0123456789\",\"ts\":\"1700000000.000100\"}}";

    /**
     * @param cpuMicros    CPU time the measured process spent per request (user + system), NaN when not measured
     * @param stealPercent share of the machine's CPU time the hypervisor gave to other guests during the round
     *                     ({@code steal} in /proc/stat): on a shared host it makes every figure of the round slower
     */
    record Result(String name, double rps, double p50, double p99, double cpuMicros, double stealPercent) {}

    public static void main(String[] args) throws Exception {
        Path jar = Path.of(System.getProperty("bench.jar", "target/switchboard.jar"));
        Path work = Files.createTempDirectory("switchboard-throughput");
        if (SPLIT_CORES) {
            if (CORES < 2) {
                throw new IllegalStateException("-Dbench.splitCores needs at least two cores");
            }
            // Every thread of this JVM (the fake), and so every child started from now on (wrk), off the last core.
            run(List.of("taskset", "-a", "-p", "-c", "0-" + (CORES - 2), String.valueOf(ProcessHandle.current().pid())));
        }
        try (SlackFake slack = new SlackFake(5, 2).acceptToken(SLACK_TOKEN).withoutRecording().start(0)) {
            int port = ServerProcesses.freePort();
            String base = "http://127.0.0.1:" + port;
            Process server = start(jar, port, work);
            Process nginx = null;
            Process vendor = null;
            Process bare = null;
            try {
                long started = System.nanoTime();
                ServerProcesses.waitForHealth(base, null);
                double startupMillis = (System.nanoTime() - started) / 1e6;
                int vendorPort = slack.port();
                if (NGINX_VENDOR) {
                    vendorPort = ServerProcesses.freePort();
                    vendor = startNginxVendor(work.resolve("vendor"), vendorPort);
                }
                String[] setup = setUp(base, "http://127.0.0.1:" + vendorPort + "/api");
                String actions = base + "/projects/" + setup[0] + "/actions";
                String proxy = base + "/projects/" + setup[0] + "/sdk/proxy/slack/chat.postMessage";
                int nginxPort = ServerProcesses.freePort();
                String direct = "http://127.0.0.1:" + vendorPort + "/api/chat.postMessage";
                nginx = startNginx(work, nginxPort, vendorPort);
                String viaNginx = "http://127.0.0.1:" + nginxPort + "/api/chat.postMessage";
                int barePort = ServerProcesses.freePort();
                bare = startBareLoopProxy(work, barePort, vendorPort);
                String viaBare = "http://127.0.0.1:" + barePort + "/api/chat.postMessage";
                String actionBody = "{\"action\":\"SLACK_SEND_MESSAGE\",\"parameters\":{\"channel\":\"#general\",\"message\":\"benchmark\"}}";

                // Warm-up until the JIT has compiled the request path: on two cores C2 keeps compiling for about a
                // minute of load (a 5 s warm-up measured a third of the steady rate; -XX:+PrintCompilation still
                // showed 130 compilations per 10 s between 50 and 70 s, 8 % of the server's CPU in the profile).
                int warmUp = Integer.getInteger("bench.warmupSeconds", 60);
                warmUp(work, actions, "Bearer " + setup[1], actionBody, warmUp);
                // The proxy as long as the action: half as long left its CPU per request 38 to 48 µs from run to run.
                warmUp(work, proxy, "Bearer " + setup[1], BODY, warmUp);
                warmUp(work, direct, "Bearer " + SLACK_TOKEN, BODY, 5);
                warmUp(work, viaNginx, "Bearer " + SLACK_TOKEN, BODY, 5);
                // A third of the action's: its path is a few dozen methods, compiled well within that.
                warmUp(work, viaBare, "Bearer " + SLACK_TOKEN, BODY, Math.max(5, warmUp / 3));

                // The five runs take turns, ROUNDS times; each row reports its median round, so that a moment of
                // noise on a shared machine moves one round, not the ratio.
                List<List<Result>> rounds = new ArrayList<>();
                // -Dbench.halfLoadOnly=<requests/s>: the latency runs alone at that rate, to try a change to the tail.
                double halfLoadOnly = Double.parseDouble(System.getProperty("bench.halfLoadOnly", "0"));
                for (int round = 0; round < (halfLoadOnly > 0 ? 0 : ROUNDS); round++) {
                    List<Result> turn = new ArrayList<>();
                    turn.add(wrk(work, "(a) " + VENDOR_NAME + ", direct", direct, "Bearer " + SLACK_TOKEN, BODY, SECONDS, 0,
                            vendor != null ? vendor.toHandle() : ProcessHandle.current()));
                    turn.add(wrk(work, "(b) nginx -> " + VENDOR_NAME, viaNginx, "Bearer " + SLACK_TOKEN, BODY, SECONDS, 0, nginx.toHandle()));
                    profile(server, true, round == 0 && !PROFILE_PROXY);
                    turn.add(wrk(work, "(c) SLACK_SEND_MESSAGE via Switchboard", actions, "Bearer " + setup[1], actionBody, SECONDS, 0, server.toHandle()));
                    profile(server, false, round == 0 && !PROFILE_PROXY);
                    profile(server, true, round == 0 && PROFILE_PROXY);
                    turn.add(wrk(work, "(d) Proxy API via Switchboard", proxy, "Bearer " + setup[1], BODY, SECONDS, 0, server.toHandle()));
                    profile(server, false, round == 0 && PROFILE_PROXY);
                    turn.add(wrk(work, "(e) bare Java proxy (Netty) -> " + VENDOR_NAME, viaBare, "Bearer " + SLACK_TOKEN, BODY, SECONDS, 0, bare.toHandle()));
                    rounds.add(turn);
                    // Every round on stderr, so that a row's spread between rounds can be read beside its median.
                    System.err.printf("round %d: %s%n", round + 1, turn.stream()
                            .map(r -> String.format("%s %.0f/s %.0f µs (steal %.0f %%)", r.name().substring(0, 3), r.rps(), r.cpuMicros(), r.stealPercent()))
                            .collect(java.util.stream.Collectors.joining(", ")));
                }
                List<Result> peak = new ArrayList<>();
                for (int row = 0; row < (rounds.isEmpty() ? 0 : 5); row++) {
                    int r = row;
                    peak.add(medianByRate(rounds.stream().map(turn -> turn.get(r)).toList()));
                }

                double half = halfLoadOnly > 0 ? halfLoadOnly : peak.get(2).rps() / 2;
                if (halfLoadOnly <= 0) {
                    printPeak(peak);
                    printSteal(rounds.stream().flatMap(List::stream).toList());
                }
                List<Result> directRounds = new ArrayList<>();
                List<Result> nginxRounds = new ArrayList<>();
                List<Result> switchboardRounds = new ArrayList<>();
                List<Result> bareRounds = new ArrayList<>();
                for (int round = 0; round < (halfLoadOnly > 0 ? ROUNDS * 2 : ROUNDS); round++) {
                    directRounds.add(wrk(work, "(a) direct at half load", direct, "Bearer " + SLACK_TOKEN, BODY, SECONDS, half, null));
                    nginxRounds.add(wrk(work, "(b) nginx at half load", viaNginx, "Bearer " + SLACK_TOKEN, BODY, SECONDS, half, null));
                    profile(server, true, halfLoadOnly > 0 && round == 0);
                    switchboardRounds.add(wrk(work, "(c) Switchboard at half load", actions, "Bearer " + setup[1], actionBody, SECONDS, half, server.toHandle()));
                    profile(server, false, halfLoadOnly > 0 && round == 0);
                    bareRounds.add(wrk(work, "(e) bare Java proxy at half load", viaBare, "Bearer " + SLACK_TOKEN, BODY, SECONDS, half, null));
                    System.err.printf("half-load round %d, p50/p99 ms: (a) %.2f/%.2f, (b) %.2f/%.2f, (c) %.2f/%.2f at %.0f µs (steal %.0f %%), (e) %.2f/%.2f%n",
                            round + 1, directRounds.getLast().p50(), directRounds.getLast().p99(), nginxRounds.getLast().p50(), nginxRounds.getLast().p99(),
                            switchboardRounds.getLast().p50(), switchboardRounds.getLast().p99(), switchboardRounds.getLast().cpuMicros(),
                            switchboardRounds.getLast().stealPercent(), bareRounds.getLast().p50(), bareRounds.getLast().p99());
                }
                Result directAtHalf = medianLatencies(directRounds);
                Result nginxAtHalf = medianLatencies(nginxRounds);
                Result switchboardAtHalf = medianLatencies(switchboardRounds);
                Result bareAtHalf = medianLatencies(bareRounds);

                System.out.printf("%nAt half of (c)'s peak, %.0f requests/s offered, paced, wrk -t%d -c%d -d%ds, median of %d rounds:%n", half,
                        WRK_THREADS, PACED_CONNECTIONS, SECONDS, ROUNDS);
                System.out.println("| run | requests/s | p50 ms | p99 ms |");
                System.out.println("|---|---|---|---|");
                for (Result r : List.of(directAtHalf, nginxAtHalf, switchboardAtHalf, bareAtHalf)) {
                    System.out.printf("| %s | %.0f | %.2f | %.2f |%n", r.name(), r.rps(), r.p50(), r.p99());
                }
                System.out.printf("| added by Switchboard (c - a) | | %.2f | %.2f |%n", switchboardAtHalf.p50() - directAtHalf.p50(),
                        switchboardAtHalf.p99() - directAtHalf.p99());
                System.out.printf("| Switchboard beside nginx (c - b) | | %.2f | %.2f |%n", switchboardAtHalf.p50() - nginxAtHalf.p50(),
                        switchboardAtHalf.p99() - nginxAtHalf.p99());
                System.out.printf("| the bare Java proxy beside nginx (e - b) | | %.2f | %.2f |%n", bareAtHalf.p50() - nginxAtHalf.p50(),
                        bareAtHalf.p99() - nginxAtHalf.p99());
                printSteal(java.util.stream.Stream.of(directRounds, nginxRounds, switchboardRounds, bareRounds).flatMap(List::stream).toList());
                System.out.printf("%nstart-up, process start to first answered request: %.0f ms%n", startupMillis);
            } finally {
                server.destroy();
                server.waitFor();
                for (Process child : java.util.Arrays.asList(nginx, vendor, bare)) {
                    if (child == null) {
                        continue;
                    }
                    child.destroy();
                    if (!child.waitFor(5, TimeUnit.SECONDS)) {
                        child.destroyForcibly();
                    }
                }
            }
        }
    }

    /**
     * A warm-up: its figures count for nothing, so a socket error is reported and the run goes on (a VM paused by its
     * host for seconds times out every connection at once); a wrong answer still stops it.
     */
    private static void warmUp(Path work, String url, String authorization, String body, int seconds) throws Exception {
        try {
            wrk(work, "warm-up", url, authorization, body, seconds, 0, null);
        } catch (SocketErrors errors) {
            System.err.println("warm-up of " + url + ": " + errors.getMessage().lines().findFirst().orElse("") + "; going on");
        }
    }

    /**
     * @param rate 0 for as fast as the connections go; otherwise requests/s, paced: each wrk thread hands out
     *             send times on a fixed schedule, so a slow answer does not slow the offered load down
     */
    private static Result wrk(Path work, String name, String url, String authorization, String body, int seconds, double rate,
                              ProcessHandle measured) throws Exception {
        Path script = work.resolve("post.lua");
        String pacing = rate <= 0 ? "" : """
                local ffi = require("ffi")
                ffi.cdef[[ typedef struct { long tv_sec; long tv_nsec; } sb_timespec; int clock_gettime(int, sb_timespec *); ]]
                local now = ffi.new("sb_timespec")
                local interval = %f
                local next_at = nil
                function delay()
                  ffi.C.clock_gettime(1, now)
                  local t = tonumber(now.tv_sec) * 1000 + tonumber(now.tv_nsec) / 1e6
                  if next_at == nil then next_at = t end
                  local wait = next_at - t
                  next_at = next_at + interval
                  if wait < 0 then return 0 end
                  return wait
                end
                """.formatted(WRK_THREADS * 1000.0 / rate);
        Files.writeString(script, pacing + "wrk.method = \"POST\"\nwrk.body = '" + body + "'\n"
                + "wrk.headers[\"Content-Type\"] = \"application/json\"\nwrk.headers[\"Authorization\"] = \"" + authorization + "\"\n"
                + "local reported = false\n"
                + "response = function(status, headers, body)\n"
                + "  if status ~= 200 and not reported then reported = true; io.write(\"FIRST FAILURE \" .. status .. \" \" .. tostring(body) .. \"\\n\") end\n"
                + "end\n"
                + "done = function(summary, latency, requests)\n"
                + "  io.write(string.format(\"RESULT %d %d %d %.3f %.3f\\n\", summary.requests, summary.errors.status, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout, latency:percentile(50) / 1000, latency:percentile(99) / 1000))\n"
                + "  io.write(string.format(\"TAIL p90 %.2f p95 %.2f p98 %.2f p99 %.2f p99.5 %.2f p99.9 %.2f max %.2f\\n\", latency:percentile(90) / 1000, latency:percentile(95) / 1000, latency:percentile(98) / 1000, latency:percentile(99) / 1000, latency:percentile(99.5) / 1000, latency:percentile(99.9) / 1000, latency.max / 1000))\n"
                + "end\n");
        int connections = rate <= 0 ? CONNECTIONS : PACED_CONNECTIONS;
        long cpuBefore = cpuMillis(measured);
        long[] machineBefore = machineCpuTicks();
        Process wrk = new ProcessBuilder("wrk", "-t" + WRK_THREADS, "-c" + connections, "-d" + seconds + "s", "-s", script.toString(), url)
                .redirectErrorStream(true).start();
        String out = new String(wrk.getInputStream().readAllBytes());
        wrk.waitFor();
        long cpuUsed = cpuMillis(measured) - cpuBefore;
        long[] machineAfter = machineCpuTicks();
        long total = machineAfter[0] - machineBefore[0];
        double stealPercent = total <= 0 ? 0 : 100.0 * (machineAfter[1] - machineBefore[1]) / total;
        Matcher rps = Pattern.compile("Requests/sec:\\s+([0-9.]+)").matcher(out);
        Matcher result = Pattern.compile("RESULT (\\d+) (\\d+) (\\d+) ([0-9.]+) ([0-9.]+)").matcher(out);
        if (!rps.find() || !result.find()) {
            throw new IllegalStateException("wrk output not understood:\n" + out);
        }
        if (Long.parseLong(result.group(2)) > 0) {
            throw new IllegalStateException(name + ": " + result.group(2) + " non-2xx answers and " + result.group(3) + " socket errors\n" + out);
        }
        if (Long.parseLong(result.group(3)) > 0) {
            throw new SocketErrors(name + ": " + result.group(3) + " socket errors (connect, read, write or timeout)\n" + out);
        }
        Matcher tail = Pattern.compile("TAIL .*").matcher(out);
        if (rate > 0 && tail.find()) {
            System.err.println("  " + name + ": " + tail.group());
        }
        double cpuMicros = measured == null ? Double.NaN : cpuUsed * 1000.0 / Long.parseLong(result.group(1));
        return new Result(name, Double.parseDouble(rps.group(1)), Double.parseDouble(result.group(4)), Double.parseDouble(result.group(5)),
                cpuMicros, stealPercent);
    }

    /** The machine's CPU time so far, all cores, in ticks: {total, steal}, from the first line of /proc/stat. */
    private static long[] machineCpuTicks() throws java.io.IOException {
        String[] fields = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
        long total = 0;
        for (int i = 1; i <= 8 && i < fields.length; i++) { // user nice system idle iowait irq softirq steal
            total += Long.parseLong(fields[i]);
        }
        return new long[] {total, fields.length > 8 ? Long.parseLong(fields[8]) : 0};
    }

    /** One line saying how much CPU the hypervisor took in these rounds, with a warning when a round lost over 5 %. */
    private static void printSteal(List<Result> rounds) {
        double most = rounds.stream().mapToDouble(Result::stealPercent).max().orElse(0);
        double least = rounds.stream().mapToDouble(Result::stealPercent).min().orElse(0);
        System.out.printf("CPU taken by the hypervisor (steal) during these rounds: %.1f to %.1f %% of the machine%n", least, most);
        if (most > 5) {
            System.out.println("WARNING: a round lost over 5 % of the machine to other guests; this run's figures are not comparable with a quiet host's");
        }
    }

    /** User plus system CPU time of a process so far, from /proc (Linux); 0 when not measured. */
    private static long cpuMillis(ProcessHandle process) throws java.io.IOException {
        if (process == null) {
            return 0;
        }
        String stat = Files.readString(Path.of("/proc", String.valueOf(process.pid()), "stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime (fields 14 and 15)
        return ticks * 1000 / CLOCK_TICKS_PER_SECOND;
    }

    /**
     * Profiles the server during the first round of run (c), or of (d) with {@code -Dbench.profileRun=d}, or of the
     * half-load run with {@code -Dbench.halfLoadOnly}: with {@code -Dbench.jfr=<file.jfr>}, a JFR recording
     * (read it with {@code jfr view hot-methods <file>}); with {@code -Dbench.profiler} naming async-profiler's
     * libasyncProfiler.so (Maven Central: tools.profiler:async-profiler, classifier linux-x64), collapsed stacks
     * to {@code bench.profileOutput}.
     */
    private static void profile(Process server, boolean start, boolean now) throws Exception {
        if (!now) {
            return;
        }
        String jfr = System.getProperty("bench.jfr");
        if (jfr != null) {
            jcmd(server, start ? List.of("JFR.start", "name=bench-c", "settings=profile")
                    : List.of("JFR.stop", "name=bench-c", "filename=" + Path.of(jfr).toAbsolutePath()));
        }
        String library = System.getProperty("bench.profiler");
        if (library != null) {
            String command = start ? "start,event=" + System.getProperty("bench.profileEvent", "cpu")
                    : "stop,collapsed,file=" + System.getProperty("bench.profileOutput", "target/profile-c.collapsed");
            jcmd(server, List.of("JVMTI.agent_load", library, "\"" + command + "\""));
        }
    }

    /** wrk counted socket errors (and no wrong answer). */
    private static final class SocketErrors extends IllegalStateException {
        SocketErrors(String message) {
            super(message);
        }
    }

    /** The command as it is, or, with split cores, bound to the last core. */
    private static List<String> onServerCore(List<String> command) {
        if (!SPLIT_CORES) {
            return command;
        }
        List<String> bound = new ArrayList<>(List.of("taskset", "-c", String.valueOf(CORES - 1)));
        bound.addAll(command);
        return bound;
    }

    private static void run(List<String> command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes());
        if (process.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
        }
    }

    private static void jcmd(Process server, List<String> arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(ProcessHandle.current().info().command().orElseThrow()).resolveSibling("jcmd").toString(),
                String.valueOf(server.pid())));
        command.addAll(arguments);
        run(command);
    }

    /** The round of one run with the median request rate, whole (its latencies and CPU are that round's). */
    private static Result medianByRate(List<Result> rounds) {
        return rounds.stream().sorted(java.util.Comparator.comparingDouble(Result::rps)).toList().get(rounds.size() / 2);
    }

    /** The median p50 and the median p99 of several rounds of one run. */
    private static Result medianLatencies(List<Result> rounds) {
        double[] p50 = rounds.stream().mapToDouble(Result::p50).sorted().toArray();
        double[] p99 = rounds.stream().mapToDouble(Result::p99).sorted().toArray();
        double[] rps = rounds.stream().mapToDouble(Result::rps).sorted().toArray();
        return new Result(rounds.get(0).name(), rps[rps.length / 2], p50[p50.length / 2], p99[p99.length / 2], Double.NaN, Double.NaN);
    }

    private static void printPeak(List<Result> peak) {
        System.out.printf("%nSwitchboard throughput, %s, %s %s, %d cores%s, wrk -t%d -c%d -d%ds, median of %d rounds, command: ./switchboard bench%s%n",
                LocalDate.now(), System.getProperty("os.name"), System.getProperty("os.arch"), CORES,
                SPLIT_CORES ? " (nginx and Switchboard alone on core " + (CORES - 1) + ", wrk and the fake on the others)" : "",
                WRK_THREADS, CONNECTIONS, SECONDS, ROUNDS, SPLIT_CORES ? " -Dbench.splitCores=true" : "");
        System.out.println("| run | requests/s | p50 ms | p99 ms | CPU µs per request (a: the vendor, b: nginx, c, d: Switchboard, e: the bare proxy) |");
        System.out.println("|---|---|---|---|---|");
        for (Result r : peak) {
            System.out.printf("| %s | %.0f | %.2f | %.2f | %.0f |%n", r.name(), r.rps(), r.p50(), r.p99(), r.cpuMicros());
        }
        System.out.printf("| ratio c/b | %.2f | | | |%n", peak.get(2).rps() / peak.get(1).rps());
        System.out.printf("| ratio d/b | %.2f | | | |%n", peak.get(3).rps() / peak.get(1).rps());
        System.out.printf("| ratio e/b (the JVM and Netty against nginx, on this machine) | %.2f | | | |%n", peak.get(4).rps() / peak.get(1).rps());
        System.out.printf("| ratios c/e, d/e (Switchboard against the bare proxy) | %.2f, %.2f | | | %.0f, %.0f µs more |%n",
                peak.get(2).rps() / peak.get(4).rps(), peak.get(3).rps() / peak.get(4).rps(),
                peak.get(2).cpuMicros() - peak.get(4).cpuMicros(), peak.get(3).cpuMicros() - peak.get(4).cpuMicros());
    }

    private static Process start(Path jar, int port, Path work) throws Exception {
        // A fixed heap, as a server is run: with -Xmx alone, G1 keeps the heap near 110 MiB under this load and
        // collects the young generation every 130 ms (a pause of 2 to 4 ms each, seen in every p99); the launcher's
        // default (no -Xmx) starts at a 64th of memory and does not shrink as far.
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "-Xms512m", "-Xmx512m",
                "--enable-native-access=ALL-UNNAMED", "-XX:+AutoCreateSharedArchive", "-XX:SharedArchiveFile=" + jar.resolveSibling("switchboard.jsa"),
                "-Xlog:cds=off", "-Xlog:cds+dynamic=off",
                "-Dswitchboard.accessLog=WARN"));
        // Extra server JVM options, e.g. a profiler agent: -Dbench.serverJvmArgs="-agentpath:...".
        String extra = System.getProperty("bench.serverJvmArgs", "").trim();
        if (!extra.isEmpty()) {
            command.addAll(List.of(extra.split("\\s+")));
        }
        command.addAll(List.of("-jar", jar.toString(), "serve", "--port", String.valueOf(port), "--data-dir", work.resolve("data").toString()));
        ProcessBuilder builder = new ProcessBuilder(onServerCore(command));
        builder.environment().put("SWITCHBOARD_ADMIN_TOKEN", ADMIN);
        builder.redirectErrorStream(true).redirectOutput(work.resolve("server.log").toFile());
        return builder.start();
    }

    /** {@link BareLoopProxy} in a JVM of its own, started as the server is, on the measured core with -Dbench.splitCores. */
    private static Process startBareLoopProxy(Path work, int port, int vendorPort) throws Exception {
        List<String> command = List.of(ProcessHandle.current().info().command().orElse("java"), "-Xms512m", "-Xmx512m",
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                BareLoopProxy.class.getName(), String.valueOf(port), String.valueOf(vendorPort));
        Process bare = new ProcessBuilder(onServerCore(command)).redirectErrorStream(true)
                .redirectOutput(work.resolve("bare-proxy.log").toFile()).start();
        return listening(bare, port, work.resolve("bare-proxy.log"));
    }

    /** The process once it accepts connections on the port (within 10 s); one that ends or never listens is an error naming its log. */
    private static Process listening(Process process, int port, Path log) throws Exception {
        for (int i = 0; i < 200 && process.isAlive(); i++) {
            try (java.net.Socket ignored = new java.net.Socket("127.0.0.1", port)) {
                return process;
            } catch (java.io.IOException notYet) {
                Thread.sleep(50);
            }
        }
        throw new IllegalStateException(process.info().command().orElse("a process") + " did not listen on " + port + "; see " + log);
    }

    /** nginx playing Slack: every Web API method answers a fixed chat.postMessage success, at nginx's cost. */
    private static Process startNginxVendor(Path work, int port) throws Exception {
        // Not on the measured core: it inherits this JVM's cores (all but the last with -Dbench.splitCores).
        return startNginx(work, port, List.of(), """
                    keepalive_requests 1000000;
                    server {
                        listen 127.0.0.1:%d;
                        location /api/ {
                            default_type application/json;
                            return 200 '%s';
                        }
                    }
                """.formatted(port, SLACK_ANSWER));
    }

    /** nginx proxying to the vendor, on the measured core with -Dbench.splitCores. */
    private static Process startNginx(Path work, int port, int upstreamPort) throws Exception {
        return startNginx(work, port, onServerCore(List.of()), """
                    upstream fake { server 127.0.0.1:%d; keepalive 64; }
                    server {
                        listen 127.0.0.1:%d;
                        location / {
                            proxy_pass http://fake;
                            proxy_http_version 1.1;
                            proxy_set_header Connection "";
                        }
                    }
                """.formatted(upstreamPort, port));
    }

    /** One nginx process in the foreground, a child of this benchmark so that it ends with it, serving {@code http}. */
    private static Process startNginx(Path work, int port, List<String> prefix, String http) throws Exception {
        Files.createDirectories(work.resolve("logs"));
        Files.writeString(work.resolve("nginx.conf"), """
                daemon off;
                master_process off;
                error_log logs/error.log warn;
                pid logs/nginx.pid;
                events { worker_connections 1024; }
                http {
                    access_log off;
                %s}
                """.formatted(http));
        List<String> command = new ArrayList<>(prefix);
        command.addAll(List.of("nginx", "-p", work.toString(), "-c", work.resolve("nginx.conf").toString()));
        Process nginx = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(work.resolve("logs/nginx.out").toFile()).start();
        return listening(nginx, port, work.resolve("logs/error.log"));
    }

    private static String[] setUp(String base, String slackApi) {
        Map<String, String> admin = Map.of("Authorization", "Bearer " + ADMIN, "Content-Type", "application/json");
        String project = Http.send("POST", base + "/admin/projects", admin, "{\"name\":\"bench\"}").json().get("id").asString();
        String key = Http.send("POST", base + "/admin/projects/" + project + "/signing-keys", admin, "{}").json().get("privateKeyPem").asString();
        Http.send("PUT", base + "/admin/projects/" + project + "/integrations/slack", admin, Http.json(Map.of("enabled", true, "urls", Map.of("api", slackApi))));
        Http.send("POST", base + "/admin/projects/" + project + "/users/bench-user/credentials", admin,
                Http.json(Map.of("integration", "slack", "accessToken", SLACK_TOKEN)));
        return new String[] {project, Tokens.sign(key, "bench-user", c -> c.expirationTime(new java.util.Date(System.currentTimeMillis() + 3_600_000)))};
    }


}
