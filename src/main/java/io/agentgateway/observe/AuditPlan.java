package io.agentgateway.observe;

import io.agentgateway.config.LoggingConfig;
import io.agentgateway.config.LoggingConfig.AuditOutputConfig;
import io.agentgateway.secret.SecretRef;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * The audit outputs of one config, resolved at compile time (paths, secret references) but not
 * yet opened: {@link AuditLog#apply} opens them on its writer thread when the config goes live,
 * so validating or compiling a config has no side effects. Immutable.
 */
public final class AuditPlan {
    private final LoggingConfig config;
    private final Path baseDir;
    private final Map<AuditOutputConfig, SecretRef> apiKeys = new HashMap<>();
    private final Map<AuditOutputConfig, SecretRef> passwords = new HashMap<>();

    /** @param secrets declares the secret {@code (name, key)} without reading it (see {@code SecretStore#declare}) */
    public AuditPlan(LoggingConfig config, Path baseDir, BiFunction<String, String, SecretRef> secrets) {
        this.config = config;
        this.baseDir = baseDir;
        for (AuditOutputConfig out : config.output()) {
            if (out.apiKeySecret() != null) {
                apiKeys.put(out, secrets.apply(out.apiKeySecret(), "api-key"));
            }
            if (out.passwordSecret() != null) {
                passwords.put(out, secrets.apply(out.passwordSecret(), "password"));
            }
        }
    }

    LoggingConfig config() {
        return config;
    }

    AuditSink open(AuditOutputConfig out, OutputStream stdout) throws IOException {
        return switch (out.type()) {
            case STDOUT -> new StreamAuditSink(stdout);
            case FILE -> new FileAuditSink(resolve(out.path()));
            case ELASTICSEARCH, OPENSEARCH -> new ElasticsearchAuditSink(out, apiKeys.get(out), passwords.get(out),
                    out.spoolDir() == null ? null : resolve(out.spoolDir()), baseDir);
        };
    }

    /** The hash of the last event in the first file output, so a restart continues the chain there. */
    String resumeHash() {
        for (AuditOutputConfig out : config.output()) {
            if (out.type() == AuditOutputConfig.Type.FILE) {
                try {
                    String last = FileAuditSink.lastLine(resolve(out.path()));
                    if (last != null) {
                        return AuditEvents.parse(last).path("hash").asText(AuditEvents.GENESIS);
                    }
                } catch (IOException | IllegalArgumentException e) {
                    return AuditEvents.GENESIS;
                }
            }
        }
        return AuditEvents.GENESIS;
    }

    private Path resolve(String path) {
        return baseDir == null ? Path.of(path) : baseDir.resolve(path);
    }
}
