package io.agentgateway.observe;

import io.agentgateway.config.LoggingConfig.AuditOutputConfig;
import io.agentgateway.kube.CaBundle;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;

/** TLS for an audit cluster: the JDK's trust store, a {@code ca_file}, or (explicitly) no verification. */
final class AuditTls {
    private AuditTls() {
    }

    static SSLContext context(AuditOutputConfig config, Path baseDir) throws IOException {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            if (config.insecureSkipVerify()) {
                ctx.init(null, new TrustManager[]{new TrustingEveryone()}, null);
                return ctx;
            }
            if (config.caFile() == null) {
                return SSLContext.getDefault();
            }
            Path ca = baseDir == null ? Path.of(config.caFile()) : baseDir.resolve(config.caFile());
            return CaBundle.sslContext(ca);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot set up TLS for " + config.endpoint() + ": " + e.getMessage(), e);
        }
    }

    /** For {@code insecure_skip_verify: true} only, which the operator chose knowingly. */
    private static final class TrustingEveryone implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
