package dev.switchboard.outbound;

/** No answer came: connection refused or reset, DNS failure. The vendor may not have seen the request. */
public final class VendorUnreachableException extends RuntimeException {
    public VendorUnreachableException(String message) {
        super(message, null, false, false);
    }
}
