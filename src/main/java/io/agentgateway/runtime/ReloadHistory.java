package io.agentgateway.runtime;

import io.agentgateway.config.ConfigError;
import io.agentgateway.config.ConfigException;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The last {@value #KEEP} config loads of this process, newest first: the start, every reload
 * that went live, every one that was refused (with its errors, as {@code validate} prints them)
 * or failed. Error lines name key paths and values the way config errors do, never a secret value.
 *
 * <p>Thread-safe.
 */
public final class ReloadHistory {
    static final int KEEP = 50;

    /** What became of one load: {@code started}, {@code applied}, {@code refused} (invalid) or {@code failed}. */
    public record Entry(Instant at, String result, List<String> errors) {
    }

    private final Clock clock;
    private final Deque<Entry> entries = new ArrayDeque<>();

    ReloadHistory(Clock clock) {
        this.clock = clock;
    }

    void record(String result, Throwable failure) {
        List<String> errors = failure == null ? List.of()
                : failure instanceof ConfigException ce ? ce.errors().stream().map(ConfigError::toString).toList()
                : List.of(String.valueOf(failure.getMessage()));
        Entry e = new Entry(clock.instant(), result, errors);
        synchronized (entries) {
            entries.addFirst(e);
            while (entries.size() > KEEP) {
                entries.removeLast();
            }
        }
    }

    public List<Entry> entries() {
        synchronized (entries) {
            return new ArrayList<>(entries);
        }
    }
}
