package dev.switchboard.outbound;

import dev.switchboard.credentials.Credential;
import dev.switchboard.integrations.IntegrationDefinition.Auth;

/** Puts the credential on the request the way the integration's {@code auth} block says. */
final class AuthInterceptor implements VendorInterceptor {
    @Override
    public VendorResponse intercept(Chain chain) {
        VendorRequest request = chain.request();
        Credential credential = request.call().credential();
        Auth auth = request.call().integration().auth();
        String secret = auth.isApiKey() ? credential.apiKey() : credential.accessToken();
        if (secret == null) {
            throw new IllegalStateException("credential " + credential.id() + " holds no " + (auth.isApiKey() ? "API key" : "access token"));
        }
        return chain.proceed(request.withHeader(auth.header(), auth.prefix() + secret));
    }
}
