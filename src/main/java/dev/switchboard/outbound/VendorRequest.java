package dev.switchboard.outbound;

import java.net.URI;
import java.util.List;
import java.util.Map;

/** A request to a vendor. Immutable: a step that changes it makes a new one with {@link #withHeader}. */
public record VendorRequest(VendorCall call, String method, URI uri, Map<String, List<String>> headers, VendorBody body) {

    public VendorRequest withHeader(String name, String value) {
        Map<String, List<String>> copy = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        copy.putAll(headers);
        copy.put(name, List.of(value));
        return new VendorRequest(call, method, uri, copy, body);
    }

    /** The same request for another version of the credential (after a refresh). */
    public VendorRequest withCredential(dev.switchboard.store.Credential credential) {
        VendorCall next = new VendorCall(call.integration(), credential, call.safeToRepeat(), call.deadlineNanos(), call.streamResponse(), call.protocol());
        return new VendorRequest(next, method, uri, headers, body);
    }

    public VendorRequest withBody(VendorBody replaced) {
        return new VendorRequest(call, method, uri, headers, replaced);
    }

    @Override
    public String toString() {
        // Never the headers: they carry the credential.
        return method + " " + uri.getScheme() + "://" + uri.getAuthority() + uri.getPath();
    }
}
