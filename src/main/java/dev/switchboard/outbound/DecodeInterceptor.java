package dev.switchboard.outbound;

import dev.switchboard.integrations.Protocols;

/** For integrations with a protocol (Sage Intacct's XML), turns the vendor's answer into JSON before it is classified. */
final class DecodeInterceptor implements VendorInterceptor {
    @Override
    public VendorResponse intercept(Chain chain) {
        VendorRequest request = chain.request();
        VendorResponse response = chain.proceed(request);
        return Protocols.of(request.call().integration()).map(p -> p.decode(response)).orElse(response);
    }
}
