package dev.switchboard.cli;

import dev.switchboard.SwitchboardServer;
import dev.switchboard.config.ServerConfig;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import sun.misc.Signal;

@Command(name = "serve", mixinStandardHelpOptions = true, modelTransformer = SettingFlags.class,
        description = "Start the Switchboard server. Every setting is a flag, an environment variable and a config file key; "
                + "./switchboard config prints the values in effect.")
final class ServeCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        ServerConfig config = ServerConfig.from(SettingFlags.resolve(spec));
        Logging.use(config.logFormat());
        SwitchboardServer server = SwitchboardServer.start(config);
        // SIGTERM (an orchestrator) and SIGINT (Ctrl-C): drain, then exit 0, since stopping when asked is no failure. A
        // shutdown hook alone could not: the JVM exits 143 after a SIGTERM whatever its hooks do.
        CountDownLatch stopped = new CountDownLatch(1);
        for (String name : new String[] {"TERM", "INT"}) {
            Signal.handle(new Signal(name), signal -> Thread.ofPlatform().name("switchboard-drain").start(() -> {
                server.drainAndClose();
                stopped.countDown();
            }));
        }
        // Any other way out (System.exit elsewhere, SIGHUP) still stops the node cleanly.
        Runtime.getRuntime().addShutdownHook(new Thread(server::drainAndClose, "switchboard-shutdown"));
        stopped.await();
        return 0;
    }

    static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
