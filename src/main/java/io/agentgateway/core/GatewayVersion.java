package io.agentgateway.core;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The project version this build was made from ({@code version.properties}, written by the build),
 * the same whether the gateway runs from the shaded jar or from compiled classes.
 */
public final class GatewayVersion {
    private static final String CURRENT = read();

    private GatewayVersion() {
    }

    /** The version, e.g. {@code 0.1.0}. Never null. */
    public static String current() {
        return CURRENT;
    }

    private static String read() {
        try (InputStream in = GatewayVersion.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                throw new IllegalStateException("version.properties is missing from the build");
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
