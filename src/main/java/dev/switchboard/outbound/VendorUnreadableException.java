package dev.switchboard.outbound;

/** The vendor answered, but not in a form we can use. */
public final class VendorUnreadableException extends RuntimeException {
    public VendorUnreadableException(String message) {
        super(message, null, false, false);
    }
}
