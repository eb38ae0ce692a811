package io.agentgateway.budget;

import io.agentgateway.core.Usage;

import io.vertx.core.MultiMap;

/**
 * Budget taken for one request. {@link #reconcile} settles it to the real usage (only the first
 * call counts), {@link #writeHeaders} adds OpenAI's {@code x-ratelimit-*} headers describing the
 * tightest applicable budget. Confined to the request's event loop.
 */
public interface Reservation {
    void reconcile(Usage actual);

    void writeHeaders(MultiMap headers);

    Reservation NONE = new Reservation() {
        @Override
        public void reconcile(Usage actual) {
        }

        @Override
        public void writeHeaders(MultiMap headers) {
        }
    };
}
