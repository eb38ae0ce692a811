package io.agentgateway.observe;

import io.agentgateway.core.Usage;
import io.agentgateway.identity.Principal;
import io.agentgateway.policy.Decision;
import io.agentgateway.policy.Resource;
import io.agentgateway.server.Exchange;
import io.vertx.core.buffer.Buffer;

import java.time.Instant;
import java.util.Map;

/**
 * What the audit log keeps of one exchange, copied out on completion so the exchange (confined to
 * its event loop) is not touched by the audit writer thread. Immutable; fields may be null.
 */
record AuditRecord(Instant timestamp, String requestId, String traceId, String protocol, String listener, String action,
                   Principal principal, String resource, Decision decision, int status, String provider, String model,
                   Usage usage, double durationMillis, String sourceIp, String error, Map<String, Object> attributes,
                   Buffer requestPayload, Buffer responsePayload) {

    static AuditRecord of(Exchange ex, String traceId) {
        Resource r = ex.resource();
        return new AuditRecord(ex.startTime(), ex.id(), traceId, ex.protocol().wire(), ex.listener(), ex.action(),
                ex.principal(), r instanceof Resource.None ? null : r.id(), ex.decision(), ex.status(),
                ex.provider(), ex.upstreamModel(), ex.usage(), ex.durationMillis(), ex.sourceIp(),
                ex.error() == null ? null : ex.error().getMessage(),
                ex.attributesCopy(),
                ex.requestPayload(), ex.responsePayload());
    }
}
