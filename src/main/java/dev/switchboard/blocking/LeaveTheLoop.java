package dev.switchboard.blocking;

/**
 * Thrown on an event loop where the work would block (a store read on a cache miss, a token refresh): the request
 * has changed nothing yet, and the front door hands it, as it arrived, to the server's ordinary path.
 */
public final class LeaveTheLoop extends RuntimeException {
    public LeaveTheLoop(String what) {
        super(what, null, false, false);
    }
}
