package dev.switchboard.cli;

import dev.switchboard.SwitchboardServer;
import dev.switchboard.config.ServerConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "serve", mixinStandardHelpOptions = true, description = "Start the Switchboard server.")
final class ServeCommand implements Callable<Integer> {
    @Option(names = "--port", defaultValue = "${env:SWITCHBOARD_PORT:-8080}",
            description = "HTTP port (env SWITCHBOARD_PORT, default ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--data-dir", defaultValue = "${env:SWITCHBOARD_DATA_DIR:-./data}",
            description = "Holds the embedded SQLite database and generated secrets (env SWITCHBOARD_DATA_DIR, default ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--db-url", defaultValue = "${env:SWITCHBOARD_DB_URL}",
            description = "A jdbc:postgresql:// URL switches the store to PostgreSQL (env SWITCHBOARD_DB_URL).")
    String dbUrl;

    @Option(names = "--public-host", defaultValue = "${env:SWITCHBOARD_PUBLIC_HOST:-localhost}",
            description = "Host accepted in a token's aud as <host>/<projectId> (env SWITCHBOARD_PUBLIC_HOST, default ${DEFAULT-VALUE}).")
    String publicHost;

    @Option(names = "--public-url", defaultValue = "${env:SWITCHBOARD_PUBLIC_URL}",
            description = "The server's address as browsers and vendors reach it, for OAuth redirect URIs (env SWITCHBOARD_PUBLIC_URL; "
                    + "default: taken from each request).")
    String publicUrl;

    @Option(names = "--public-base-url", defaultValue = "${env:SWITCHBOARD_PUBLIC_BASE_URL}",
            description = "The on-prem base of Paragon's host layout, such as https://sb.example.com: Switchboard answers its derived hosts "
                    + "(zeus., worker-actionkit., worker-proxy., connect., dashboard., ...) on the same routes, and accepts tokens whose aud is "
                    + "<base host>/<projectId> (env SWITCHBOARD_PUBLIC_BASE_URL). DNS and TLS: see the README.")
    String publicBaseUrl;

    @Option(names = "--cache-ttl-ms", defaultValue = "${env:SWITCHBOARD_CACHE_TTL_MS:-2000}",
            description = "How long a node keeps projects, signing keys, integration settings and a user's accounts it read; "
                    + "changes made through another node of a cluster show within this time; 0 turns caching off "
                    + "(env SWITCHBOARD_CACHE_TTL_MS, default ${DEFAULT-VALUE}).")
    long cacheTtlMillis;

    @Override
    public Integer call() throws InterruptedException {
        String acceptedHosts = publicHost;
        if (blankToNull(publicBaseUrl) != null) {
            java.net.URI base = java.net.URI.create(publicBaseUrl.strip());
            if (base.getHost() == null || !("https".equals(base.getScheme()) || "http".equals(base.getScheme()))) {
                throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                        "--public-base-url must be an http(s) address such as https://sb.example.com, not " + publicBaseUrl);
            }
            acceptedHosts = publicHost + "," + base.getHost();
        }
        ServerConfig config = new ServerConfig(port, dataDir, blankToNull(dbUrl),
                blankToNull(System.getenv("SWITCHBOARD_ADMIN_TOKEN")), blankToNull(System.getenv("SWITCHBOARD_MASTER_KEY")),
                acceptedHosts, blankToNull(publicUrl), ServerConfig.VendorTimeouts.defaults(),
                Duration.ofMillis(cacheTtlMillis));
        SwitchboardServer server = SwitchboardServer.start(config);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "switchboard-shutdown"));
        stopped.await();
        return 0;
    }

    static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
