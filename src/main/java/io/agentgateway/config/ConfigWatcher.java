package io.agentgateway.config;

import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Watches the config file and hands each valid new version to a consumer; an invalid version is
 * logged with every error and otherwise ignored, so the running config stays. Polls the file's
 * content (on a worker thread) rather than relying on file events, because a Kubernetes ConfigMap
 * mounted as a directory changes by swapping its {@code ..data} symlink, which inotify on the file
 * itself does not see.
 *
 * <p>Thread-safe; one per gateway process.
 */
public final class ConfigWatcher {
    private static final Logger log = LoggerFactory.getLogger(ConfigWatcher.class);

    private final Vertx vertx;
    private final Path file;
    private final ConfigLoader loader;
    private final Consumer<GatewayConfig> onChange;
    private final Consumer<ConfigException> onInvalid;
    private byte[] last;
    private long timer = -1;

    public ConfigWatcher(Vertx vertx, Path file, ConfigLoader loader, Consumer<GatewayConfig> onChange) {
        this(vertx, file, loader, onChange, e -> {
        });
    }

    /** @param onInvalid told of a changed file that is not valid (after it is logged), e.g. for the reload history */
    public ConfigWatcher(Vertx vertx, Path file, ConfigLoader loader, Consumer<GatewayConfig> onChange,
                         Consumer<ConfigException> onInvalid) {
        this.vertx = vertx;
        this.file = file;
        this.loader = loader;
        this.onChange = onChange;
        this.onInvalid = onInvalid;
    }

    /** Starts polling; the content the file has now counts as already loaded. */
    public void start(long periodMillis) throws IOException {
        last = Files.readAllBytes(file);
        timer = vertx.setPeriodic(periodMillis, id -> vertx.executeBlocking(() -> {
            check();
            return null;
        }, false));
    }

    public void stop() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    private synchronized void check() {
        byte[] now;
        try {
            now = Files.readAllBytes(file);
        } catch (IOException e) {
            // Between the removal of the old ..data link and the new one, or a deleted file: try again next time.
            return;
        }
        if (Arrays.equals(now, last)) {
            return;
        }
        last = now;
        try {
            GatewayConfig config = loader.parse(new String(now, StandardCharsets.UTF_8), file.toAbsolutePath().getParent());
            log.info("config file {} changed; reloading", file);
            onChange.accept(config);
        } catch (ConfigException e) {
            log.error("config file {} changed but is not valid; keeping the running config. {} error(s):\n  {}",
                    file, e.errors().size(), String.join("\n  ", e.errors().stream().map(ConfigError::toString).toList()));
            onInvalid.accept(e);
        }
    }
}
