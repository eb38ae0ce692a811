package io.agentgateway.observe;

import io.agentgateway.core.Jackson;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agentgateway.config.LoggingConfig.AuditOutputConfig;
import io.agentgateway.config.Secret;
import io.agentgateway.secret.SecretRef;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.List;

/**
 * Audit events to Elasticsearch or OpenSearch with the {@code _bulk} API: batched
 * ({@code batch_size}, {@code flush_interval}), idempotent ({@code create} with the event id, so a
 * retried batch never duplicates), retried with exponential backoff. While the cluster is away,
 * events wait in memory and, with {@code spool_dir}, on disk, and are replayed in order when it
 * returns (also after a restart). Documents the cluster rejects for good (a 400 mapping error) are
 * kept in the spool's dead-letter file rather than lost.
 *
 * <p>Has its own sender thread: a slow or absent cluster never holds up the other outputs.
 */
final class ElasticsearchAuditSink implements AuditSink {
    private static final Logger log = LoggerFactory.getLogger(ElasticsearchAuditSink.class);
    private static final ObjectMapper JSON = Jackson.MAPPER;
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(60);

    private final URI bulk;
    private final String index;
    private final int batchSize;
    private final long flushMillis;
    private final SecretRef apiKey;
    private final String username;
    private final SecretRef password;
    private final AuditSpool spool;
    private final HttpClient http;
    private final Deque<String> memory = new ArrayDeque<>();
    private final Thread sender;
    private volatile boolean closed;
    /** A batch taken from memory is being sent; spilling newer events to the spool now would put them before it. */
    private boolean memoryBatchInFlight;
    private long backoffMillis;

    ElasticsearchAuditSink(AuditOutputConfig config, SecretRef apiKey, SecretRef password, Path spoolDir, Path baseDir) throws IOException {
        String endpoint = config.endpoint().endsWith("/") ? config.endpoint().substring(0, config.endpoint().length() - 1) : config.endpoint();
        this.bulk = URI.create(endpoint + "/_bulk");
        this.index = config.index();
        this.batchSize = config.batchSize();
        this.flushMillis = config.flushInterval().toMillis();
        this.apiKey = apiKey;
        this.username = config.username();
        this.password = password;
        this.spool = spoolDir == null ? null : new AuditSpool(spoolDir);
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
                .sslContext(AuditTls.context(config, baseDir)).build();
        this.sender = new Thread(this::run, "agentgateway-audit-" + config.type().name().toLowerCase());
        this.sender.setDaemon(true);
        this.sender.start();
    }

    @Override
    public void write(List<String> lines) throws IOException {
        synchronized (memory) {
            memory.addAll(lines);
            if (spool != null && memory.size() > 20L * batchSize && !memoryBatchInFlight) {
                // Far behind: keep the backlog on disk, not in the heap.
                spool.append(drain(memory.size()));
            }
            memory.notifyAll();
        }
    }

    private void run() {
        while (!closed) {
            try {
                waitForWork();
                if (closed) {
                    break;
                }
                sendOne();
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                log.error("audit sender for {} failed: {}", bulk, e.toString());
            }
        }
    }

    private void waitForWork() throws InterruptedException {
        synchronized (memory) {
            long until = System.currentTimeMillis() + Math.max(flushMillis, backoffMillis);
            while (!closed && (memory.size() < batchSize || backoffMillis > 0) && System.currentTimeMillis() < until) {
                memory.wait(Math.max(1, until - System.currentTimeMillis()));
            }
        }
    }

    /** Sends the oldest waiting batch: spooled files first (they are older), then memory. Nothing is dropped on failure. */
    private void sendOne() throws InterruptedException {
        List<String> batch = List.of();
        boolean fromSpool = false;
        try {
            if (spool != null && spool.hasBatches()) {
                AuditSpool.Batch spooled = spool.oldest();
                fromSpool = true;
                List<String> retry = send(spooled.lines());
                spool.replace(spooled, retry);
                succeeded(retry.isEmpty());
                return;
            }
            synchronized (memory) {
                batch = drain(Math.min(batchSize, memory.size()));
                memoryBatchInFlight = !batch.isEmpty();
            }
            if (batch.isEmpty()) {
                backoffMillis = 0;
                return;
            }
            List<String> retry = send(batch);
            keep(retry);
            succeeded(retry.isEmpty());
            doneWithMemoryBatch();
        } catch (IOException e) {
            backoffMillis = nextBackoff();
            log.warn("audit cluster {} unavailable ({}); {} waiting, retrying in {}ms", bulk.getHost(), e.getMessage(),
                    fromSpool ? "spooled events" : batch.size() + " event(s)", backoffMillis);
            if (!fromSpool) {
                keepQuietly(batch);
                doneWithMemoryBatch();
            }
        }
    }

    private void doneWithMemoryBatch() {
        synchronized (memory) {
            memoryBatchInFlight = false;
        }
    }

    private void keepQuietly(List<String> batch) {
        try {
            keep(batch);
        } catch (IOException e) {
            // The spool is unwritable too: hold the events in memory rather than lose them.
            synchronized (memory) {
                for (int i = batch.size() - 1; i >= 0; i--) {
                    memory.addFirst(batch.get(i));
                }
            }
            log.error("cannot spool audit events: {}", e.toString());
        }
    }

    private void keep(List<String> retry) throws IOException {
        if (retry.isEmpty()) {
            return;
        }
        if (spool != null) {
            spool.append(retry);
        } else {
            synchronized (memory) {
                for (int i = retry.size() - 1; i >= 0; i--) {
                    memory.addFirst(retry.get(i));
                }
            }
        }
    }

    private void succeeded(boolean allDone) {
        backoffMillis = allDone ? 0 : nextBackoff();
    }

    private long nextBackoff() {
        return Math.min(MAX_BACKOFF.toMillis(), backoffMillis == 0 ? 1000 : backoffMillis * 2);
    }

    /**
     * POSTs one batch; returns the lines to try again later (all of them when the cluster failed,
     * the items it refused with 429/5xx otherwise). Permanently refused lines go to the dead letters.
     */
    private List<String> send(List<String> lines) throws IOException, InterruptedException {
        StringBuilder body = new StringBuilder(lines.size() * 600);
        for (String line : lines) {
            body.append("{\"create\":{\"_index\":").append(JSON.writeValueAsString(index))
                    .append(",\"_id\":").append(JSON.writeValueAsString(eventId(line))).append("}}\n")
                    .append(line).append('\n');
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(bulk).timeout(Duration.ofSeconds(30))
                .header("content-type", "application/x-ndjson")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8));
        String auth = authorization();
        if (auth != null) {
            request.header("authorization", auth);
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        int status = response.statusCode();
        if (status == 429 || status >= 500) {
            throw new IOException("HTTP " + status);
        }
        if (status >= 400) {
            throw new IOException("HTTP " + status + " (check endpoint, index and credentials)");
        }
        JsonNode result = JSON.readTree(response.body());
        if (!result.path("errors").asBoolean(false)) {
            return List.of();
        }
        List<String> retry = new ArrayList<>();
        List<String> rejected = new ArrayList<>();
        JsonNode items = result.path("items");
        for (int i = 0; i < lines.size() && i < items.size(); i++) {
            int itemStatus = items.get(i).elements().next().path("status").asInt(500);
            if (itemStatus == 409 || itemStatus / 100 == 2) {
                continue;
            }
            (itemStatus == 429 || itemStatus >= 500 ? retry : rejected).add(lines.get(i));
        }
        if (!rejected.isEmpty()) {
            log.error("audit cluster rejected {} event(s) for good (e.g. a mapping conflict){}", rejected.size(),
                    spool != null ? "; kept in the spool's dead letters" : "");
            if (spool != null) {
                spool.deadLetters(rejected);
            }
        }
        return retry;
    }

    private String authorization() {
        Secret key = apiKey == null ? null : apiKey.current();
        if (key != null) {
            return "ApiKey " + key.reveal();
        }
        Secret pw = password == null ? null : password.current();
        if (username != null && pw != null) {
            return "Basic " + Base64.getEncoder().encodeToString((username + ":" + pw.reveal()).getBytes(StandardCharsets.UTF_8));
        }
        return null;
    }

    /** Lines start {"timestamp":"...","event_id":"..." (fixed field order), so the id is read without parsing. */
    static String eventId(String line) {
        int at = line.indexOf("\"event_id\":\"");
        if (at < 0) {
            return null;
        }
        int start = at + 12;
        return line.substring(start, line.indexOf('"', start));
    }

    private List<String> drain(int n) {
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n && !memory.isEmpty(); i++) {
            out.add(memory.pollFirst());
        }
        return out;
    }

    @Override
    public void close() throws IOException {
        closed = true;
        synchronized (memory) {
            memory.notifyAll();
        }
        try {
            sender.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (memory) {
            if (memory.isEmpty()) {
                return;
            }
            if (spool != null) {
                spool.append(drain(memory.size()));
            } else {
                log.error("{} audit event(s) for {} were not delivered before shutdown and there is no spool_dir", memory.size(), bulk);
            }
        }
    }

    @Override
    public String toString() {
        return "elasticsearch " + bulk.getHost() + "/" + index;
    }
}
