package dev.switchboard.testing;

import dev.switchboard.cli.Main;
import reactor.blockhound.BlockHound;

/**
 * Switchboard's {@code main} with BlockHound installed: any blocking call on an event loop (a lock wait, a sleep, a
 * socket or file read) throws there instead of stalling every connection of the loop. Netty's own integration
 * (found by BlockHound's service loader) marks its loop threads and allows what Netty itself does.
 */
public final class BlockHoundMain {
    private BlockHoundMain() {}

    public static void main(String[] args) {
        BlockHound.builder()
                // The event loops' threads (Netty's integration marks only threads that ask for it).
                .nonBlockingThreadPredicate(current -> current.or(thread -> thread instanceof dev.switchboard.blocking.Blocking.LoopThread))
                // A host name looked up by the system's resolver (hosts file, DNS), which BlockHound does not know of.
                .markAsBlocking("java.net.Inet6AddressImpl", "lookupAllHostAddr", "(Ljava/lang/String;I)[Ljava/net/InetAddress;")
                .markAsBlocking("java.net.Inet4AddressImpl", "lookupAllHostAddr", "(Ljava/lang/String;)[Ljava/net/InetAddress;")
                .blockingMethodCallback(method -> {
                    // Say it in the log the test reads, then fail the call as BlockHound does.
                    System.out.println("BLOCKED ON A LOOP: " + method + " in " + Thread.currentThread().getName());
                    new Exception("stack of the blocking call").printStackTrace(System.out);
                    throw new reactor.blockhound.BlockingOperationError(method);
                })
                .install();
        System.out.println("BlockHound installed");
        Main.main(args);
    }
}
