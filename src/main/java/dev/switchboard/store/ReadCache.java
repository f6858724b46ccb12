package dev.switchboard.store;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * A node-local cache of rows that are read on every request and written rarely: projects, signing keys,
 * integration settings, a user's accounts. The repository that owns the rows calls {@link #invalidateAll()}
 * after each of its writes, so this node sees its own writes at once; another node of a cluster sees them
 * within the time to live. Values may be {@link java.util.Optional#empty()}, so "not found" is cached too.
 */
public final class ReadCache<K, V> {
    private final Cache<K, V> entries; // null when the time to live is zero: caching off
    // Bumped by every invalidation, so that a read that raced a write never leaves the old row cached.
    private final AtomicLong generation = new AtomicLong();

    public ReadCache(Duration timeToLive, long maximumEntries) {
        // Cache upkeep on the caller's thread: the default executor wakes a pool thread for it (a system call and a
        // context switch from the event loop, issue 24's profile).
        this.entries = timeToLive.isZero() ? null
                : Caffeine.newBuilder().executor(Runnable::run).expireAfterWrite(timeToLive).maximumSize(maximumEntries).recordStats().<K, V>build();
    }

    public V get(K key, Function<K, V> load) {
        if (entries == null) {
            dev.switchboard.blocking.Blocking.mayBlock("a store read");
            return load.apply(key);
        }
        V cached = entries.getIfPresent(key);
        if (cached != null) {
            return cached;
        }
        dev.switchboard.blocking.Blocking.mayBlock("a store read");
        long seen = generation.get();
        V loaded = load.apply(key);
        entries.put(key, loaded);
        if (generation.get() != seen) {
            // A write committed while we read: what we read may predate it.
            entries.invalidate(key);
        }
        return loaded;
    }

    /** Reports hits, misses, evictions and size as Micrometer's cache metrics, under {@code cache=name}. */
    public void bindTo(MeterRegistry meters, String name) {
        if (entries != null) {
            CaffeineCacheMetrics.monitor(meters, entries, name);
        }
    }

    /** Call after a write has committed. */
    public void invalidateAll() {
        generation.incrementAndGet();
        if (entries != null) {
            entries.invalidateAll();
        }
    }
}
