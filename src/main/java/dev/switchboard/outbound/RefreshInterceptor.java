package dev.switchboard.outbound;

import dev.switchboard.outbound.Classification.Kind;
import dev.switchboard.store.Credential;

/**
 * Refreshes the access token shortly before it expires, and once on the vendor's expiry signal (then repeats
 * the call with the new token), in the manner of OkHttp's {@code Authenticator}. The refresh itself, exactly
 * once however many calls and nodes meet the expiry, is the {@link Reauthorizer}'s.
 */
final class RefreshInterceptor implements VendorInterceptor {
    private final Reauthorizer reauthorizer;

    RefreshInterceptor(Reauthorizer reauthorizer) {
        this.reauthorizer = reauthorizer;
    }

    @Override
    public VendorResponse intercept(Chain chain) {
        VendorRequest request = chain.request();
        Credential credential = request.call().credential();
        if (credential == null || request.call().integration().auth().isInBody()) {
            return chain.proceed(request);
        }
        Credential current = reauthorizer.beforeCall(credential);
        VendorRequest sent = current == credential ? request : request.withCredential(current);
        VendorResponse response = chain.proceed(sent);
        Kind kind = response.classification().kind();
        boolean replayable = sent.body() == null || sent.body().replayable();
        if ((kind == Kind.TOKEN_EXPIRED || kind == Kind.CREDENTIAL_REJECTED) && replayable) {
            Credential refreshed = reauthorizer.afterRejection(current);
            if (refreshed != null) {
                response.close();
                return chain.proceed(sent.withCredential(refreshed));
            }
        }
        return response;
    }
}
