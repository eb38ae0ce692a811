package io.agentgateway.kube;

import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The gateway's own service-account token, read from a file (the projected token the kubelet
 * mounts). Projected tokens rotate, so the file is read again once the last read is older than
 * the refresh period; reads go through Vert.x's file system (a worker thread), never blocking an
 * event loop, and concurrent callers share one read. A file that cannot be read yields the empty
 * string (the call then goes without a token and the API server's refusal says why); a file that
 * disappears after a successful read keeps the last token.
 *
 * <p>Thread-safe. The token never appears in a log line or an error.
 */
public final class TokenFile {
    private static final Logger log = LoggerFactory.getLogger(TokenFile.class);

    private final Vertx vertx;
    private final String path;
    private final Clock clock;
    private final Duration refresh;
    private String token;
    private Instant readAt;
    private Future<String> reading;
    private boolean warned;

    public TokenFile(Vertx vertx, String path, Clock clock, Duration refresh) {
        this.vertx = vertx;
        this.path = path;
        this.clock = clock;
        this.refresh = refresh;
    }

    /** The current token ({@code ""} when there is none). */
    public Future<String> current() {
        Future<String> pending;
        synchronized (this) {
            Instant now = clock.instant();
            if (token != null && readAt != null && now.isBefore(readAt.plus(refresh))) {
                return Future.succeededFuture(token);
            }
            pending = reading;
            if (pending == null) {
                // Published before the read starts: a read that completes at once must still find it here to clear.
                Promise<String> read = Promise.promise();
                reading = pending = read.future();
                vertx.fileSystem().readFile(path).onComplete(ar -> read.complete(loaded(ar)));
            }
        }
        return CallerContext.rejoin(pending);
    }

    private synchronized String loaded(AsyncResult<Buffer> ar) {
        reading = null;
        readAt = clock.instant();
        if (ar.succeeded()) {
            token = ar.result().toString(StandardCharsets.UTF_8).trim();
            warned = false;
        } else {
            if (!warned) {
                log.warn("cannot read the gateway's service-account token at {} ({}); calling the API server without one",
                        path, ar.cause().getClass().getSimpleName());
                warned = true;
            }
            if (token == null) {
                token = "";
            }
        }
        return token;
    }

    public String path() {
        return path;
    }
}
