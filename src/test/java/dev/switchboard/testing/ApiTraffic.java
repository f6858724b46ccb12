package dev.switchboard.testing;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Every request the tests send to a Switchboard node through {@link Http}, and its answer, kept for the end of the run,
 * when ApiTrafficConformanceTest holds them all against Switchboard's OpenAPI document. Exchanges with the vendor
 * fakes are not kept (their hosts are not watched); nor are bodies too large to be worth holding in memory.
 */
public final class ApiTraffic {
    /** One request and its answer. */
    public record Exchange(String method, URI uri, Map<String, String> requestHeaders, String requestBody, int status,
                           String responseContentType, String responseBody, String test) {}

    private static final int MAX_EXCHANGES = 40_000;
    private static final int MAX_BODY = 256 * 1024;
    private static final Set<String> WATCHED = ConcurrentHashMap.newKeySet();
    private static final ConcurrentLinkedQueue<Exchange> EXCHANGES = new ConcurrentLinkedQueue<>();
    private static final AtomicInteger KEPT = new AtomicInteger();

    private ApiTraffic() {}

    /** Keeps the exchanges with the node at this address ({@code host:port}). */
    static void watch(String authority) {
        WATCHED.add(authority);
    }

    /** Stops keeping the exchanges with this address (its node stopped). */
    static void unwatch(String authority) {
        WATCHED.remove(authority);
    }

    static void record(String method, URI uri, Map<String, String> requestHeaders, String requestBody, int status,
                       String responseContentType, String responseBody) {
        if (!WATCHED.contains(uri.getRawAuthority()) || (requestBody != null && requestBody.length() > MAX_BODY)
                || responseBody.length() > MAX_BODY || KEPT.incrementAndGet() > MAX_EXCHANGES) {
            return;
        }
        EXCHANGES.add(new Exchange(method, uri, Map.copyOf(requestHeaders), requestBody, status, responseContentType, responseBody, callingTest()));
    }

    /** The test class that sent the request, for the report. */
    private static String callingTest() {
        return StackWalker.getInstance().walk(frames -> frames.map(StackWalker.StackFrame::getClassName)
                .filter(name -> name.endsWith("Test") || name.contains("Test$")).findFirst().orElse("?"));
    }

    public static List<Exchange> recorded() {
        return List.copyOf(EXCHANGES);
    }
}
