package io.agentgateway.mcp;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What this replica knows of the sessions it served, beyond what their sealed ids say: when each
 * was last used (for the idle limit sealed in it) and which were ended (a sealed id stays
 * cryptographically valid until it expires, so an ended one is remembered until then). Bounded:
 * the least recently used entries go first. A session this replica has not seen (issued by
 * another replica, or forgotten) starts its idle clock here at first use.
 *
 * <p>Thread-safe.
 */
final class SessionStates {
    private static final int MAX = 100_000;

    private static final class State {
        Instant lastUsed;
        /** Set when the session was ended: kept until the session would have expired anyway. */
        Instant endedUntil;
    }

    private final Map<String, State> states = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, State> eldest) {
            return size() > MAX;
        }
    };

    /** Remembers {@code id} as ended until {@code until} (the session's own expiry). */
    synchronized void end(String id, Instant until) {
        states.computeIfAbsent(id, k -> new State()).endedUntil = until;
    }

    synchronized boolean ended(String id, Instant now) {
        State s = states.get(id);
        return s != null && s.endedUntil != null && now.isBefore(s.endedUntil);
    }

    /**
     * Records a use of session {@code id} at {@code now}: false when it is ended, expired, or was
     * idle longer than its limit (it is then ended here), true otherwise.
     */
    synchronized boolean use(String id, McpSession session, Instant now) {
        Instant expires = Instant.ofEpochSecond(session.expiresAt());
        if (!now.isBefore(expires)) {
            states.remove(id);
            return false;
        }
        State s = states.computeIfAbsent(id, k -> new State());
        if (s.endedUntil != null) {
            return false;
        }
        if (s.lastUsed != null && now.getEpochSecond() - s.lastUsed.getEpochSecond() > session.idleSeconds()) {
            s.endedUntil = expires;
            return false;
        }
        s.lastUsed = now;
        return true;
    }
}
