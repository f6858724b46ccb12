package dev.switchboard.http.loop;

/**
 * Requests served start to finish on an event loop. The front door offers each plain request whose route
 * {@linkplain #claims claims} it; one that cannot be served there (a cache miss, a refresh due, anything unusual) is
 * declined before it changes anything and goes, byte for byte as it arrived, to the server's ordinary path.
 */
public interface HotPath {
    /** Whether this route is one the hot path serves (its body is then read whole, up to {@link #MAX_BODY}). */
    boolean claims(RequestHead head);

    /**
     * Serves the request, answering through the exchange later, on any thread; or declines it (false), having
     * changed nothing. Called on the connection's event loop.
     */
    boolean serve(Exchange exchange);

    /** Serves nothing: every request goes the ordinary path. */
    HotPath NONE = new HotPath() {
        @Override
        public boolean claims(RequestHead head) {
            return false;
        }

        @Override
        public boolean serve(Exchange exchange) {
            return false;
        }
    };

    /** The first of these routes that claims a request serves it. */
    static HotPath of(java.util.List<HotPath> routes) {
        return new HotPath() {
            @Override
            public boolean claims(RequestHead head) {
                return routes.stream().anyMatch(route -> route.claims(head));
            }

            @Override
            public boolean serve(Exchange exchange) {
                for (HotPath route : routes) {
                    if (route.claims(exchange.head())) {
                        return route.serve(exchange);
                    }
                }
                return false;
            }
        };
    }

    /** A larger body is the ordinary path's, which streams it. */
    int MAX_BODY = 64 * 1024;
}
