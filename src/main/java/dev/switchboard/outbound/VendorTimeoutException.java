package dev.switchboard.outbound;

/** The vendor did not answer within the attempt timeout. It may have acted on the request. */
public final class VendorTimeoutException extends RuntimeException {
    public VendorTimeoutException(String message) {
        super(message, null, false, false);
    }
}
