package dev.switchboard.outbound;

import dev.switchboard.integrations.IntegrationDefinition.Auth;
import dev.switchboard.store.Credential;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/** Puts the credential on the request the way the integration's {@code auth} block says. */
final class AuthInterceptor implements VendorInterceptor {
    @Override
    public VendorResponse intercept(Chain chain) {
        return chain.proceed(authorize(chain.request()));
    }

    /** The request with the credential on it, as the integration's {@code auth} block says. */
    static VendorRequest authorize(VendorRequest request) {
        Credential credential = request.call().credential();
        Auth auth = request.call().integration().auth();
        if (auth.isInBody() || credential == null) {
            // the integration's protocol wrote the credential into the body; or this call goes without one
            return request;
        }
        String secret = auth.isApiKey() ? credential.apiKey() : credential.accessToken();
        if (secret == null) {
            throw new IllegalStateException("credential " + credential.id() + " holds no " + (auth.isApiKey() ? "API key" : "access token"));
        }
        VendorRequest authorized;
        if (auth.basic() != null) {
            String pair = auth.basic().equals("username") ? secret + ":" + auth.basicOther() : auth.basicOther() + ":" + secret;
            authorized = request.withHeader("Authorization", "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
        } else {
            authorized = request.withHeader(auth.header(), auth.prefix() + secret);
        }
        if (authorized.body() instanceof VendorBody.WithSecret carrying) {
            authorized = authorized.withBody(carrying.filled(secret)); // the secret in the body too (SOAP's session header)
        }
        if (!auth.headers().isEmpty()) {
            Map<String, String> values = Placeholders.values(request.call().integration(), credential);
            for (Map.Entry<String, String> header : auth.headers().entrySet()) {
                authorized = authorized.withHeader(header.getKey(), Placeholders.fill(header.getValue(), values, false));
            }
        }
        return authorized;
    }
}
