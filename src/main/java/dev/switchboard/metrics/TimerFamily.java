package dev.switchboard.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * The timers of one name, one per set of tag values, each built and registered the first time its values are seen
 * and then found in a map. Micrometer's builder and its registry's lookup cost more per request than the recording
 * itself (issue 24's profile: four timers a request, 3 % of the hot path's CPU).
 */
public final class TimerFamily {
    private final MeterRegistry meters;
    private final String name;
    private final String[] tagKeys;
    private final UnaryOperator<Timer.Builder> options;
    private final ConcurrentHashMap<List<String>, Timer> timers = new ConcurrentHashMap<>();

    /** @param options what every timer of the family has besides its tags (buckets, a description) */
    public TimerFamily(MeterRegistry meters, String name, UnaryOperator<Timer.Builder> options, String... tagKeys) {
        this.meters = meters;
        this.name = name;
        this.tagKeys = tagKeys.clone();
        this.options = options;
    }

    public TimerFamily(MeterRegistry meters, String name, String... tagKeys) {
        this(meters, name, UnaryOperator.identity(), tagKeys);
    }

    /** @param tagValues in the order of the family's tag keys */
    public void record(long nanos, String... tagValues) {
        if (tagValues.length != tagKeys.length) {
            throw new IllegalArgumentException(name + " has tags " + Arrays.toString(tagKeys) + ", given " + Arrays.toString(tagValues));
        }
        timers.computeIfAbsent(List.of(tagValues), this::register).record(nanos, TimeUnit.NANOSECONDS);
    }

    private Timer register(List<String> values) {
        Timer.Builder builder = Timer.builder(name);
        for (int i = 0; i < tagKeys.length; i++) {
            builder.tag(tagKeys[i], values.get(i));
        }
        return options.apply(builder).register(meters);
    }
}
