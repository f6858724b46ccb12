package dev.switchboard.outbound;

/** Attaches the {@link Classification} of each answer, so the steps above it decide on meaning, not bytes. */
final class ClassifyInterceptor implements VendorInterceptor {
    @Override
    public VendorResponse intercept(Chain chain) {
        VendorRequest request = chain.request();
        VendorResponse response = chain.proceed(request);
        return response.classified(ResponseClassifier.classify(response, request.call().integration().errors()));
    }
}
