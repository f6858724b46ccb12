package dev.switchboard.outbound;

import java.util.Map;

/** For calls in a protocol (Sage Intacct's XML, Salesforce's SOAP), turns the vendor's answer into JSON before it is classified. */
final class DecodeInterceptor implements VendorInterceptor {
    private final Map<String, ? extends ResponseDecoder> decoders;

    DecodeInterceptor(Map<String, ? extends ResponseDecoder> decoders) {
        this.decoders = decoders;
    }

    @Override
    public VendorResponse intercept(Chain chain) {
        VendorRequest request = chain.request();
        VendorResponse response = chain.proceed(request);
        String protocol = request.call().protocol();
        ResponseDecoder decoder = protocol == null ? null : decoders.get(protocol);
        return decoder == null ? response : decoder.decode(response);
    }
}
