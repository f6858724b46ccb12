package dev.switchboard.outbound;

import java.util.List;

/**
 * One step of the vendor call pipeline, in the manner of OkHttp's interceptors: look at the request, pass
 * it on with {@link Chain#proceed}, look at the answer.
 */
public interface VendorInterceptor {
    VendorResponse intercept(Chain chain);

    interface Chain {
        VendorRequest request();

        VendorResponse proceed(VendorRequest request);
    }

    /** Runs {@code steps} in order; the last one must answer without calling proceed. */
    static VendorResponse run(List<VendorInterceptor> steps, VendorRequest request) {
        return new IndexedChain(steps, 0, request).proceed(request);
    }

    record IndexedChain(List<VendorInterceptor> steps, int index, VendorRequest request) implements Chain {
        @Override
        public VendorResponse proceed(VendorRequest next) {
            if (index >= steps.size()) {
                throw new IllegalStateException("the last pipeline step must not call proceed");
            }
            return steps.get(index).intercept(new IndexedChain(steps, index + 1, next));
        }
    }
}
