package io.agentgateway.mcp;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Session ids a client ended with DELETE on this replica, so they answer 404 here from then on
 * (a sealed id stays cryptographically valid; upstream sessions behind it are ended too, so
 * another replica gets 404 from those upstreams). Bounded: the oldest entries go first, and an
 * entry is forgotten a day after the end. Thread-safe.
 */
final class TerminatedSessions {
    private static final int MAX = 100_000;
    private static final Duration KEEP = Duration.ofDays(1);

    private final Clock clock;
    private final Map<String, Instant> ended = new LinkedHashMap<>(256, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Instant> eldest) {
            return size() > MAX;
        }
    };

    TerminatedSessions(Clock clock) {
        this.clock = clock;
    }

    synchronized void add(String sessionId) {
        ended.put(sessionId, clock.instant().plus(KEEP));
    }

    synchronized boolean contains(String sessionId) {
        Instant until = ended.get(sessionId);
        if (until == null) {
            return false;
        }
        if (clock.instant().isAfter(until)) {
            ended.remove(sessionId);
            return false;
        }
        return true;
    }
}
