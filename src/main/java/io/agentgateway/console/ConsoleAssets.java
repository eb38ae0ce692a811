package io.agentgateway.console;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * The console's static files, read from the jar once at start: its own page, script and styles,
 * and the libraries it uses from their WebJars (uPlot for charts, Bootstrap for layout). Only the
 * files listed here are served, from memory (no path is ever resolved against a directory, and
 * nothing is unpacked to disk, so a read-only root filesystem is fine). Every answer carries a
 * strict Content-Security-Policy: scripts, styles and connections from this origin only, no inline
 * code, no third-party origin.
 *
 * <p>Immutable and thread-safe.
 */
final class ConsoleAssets {
    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private record Asset(Buffer body, String type, String etag) {
    }

    private final Map<String, Asset> assets;

    private ConsoleAssets(Map<String, Asset> assets) {
        this.assets = Map.copyOf(assets);
    }

    static ConsoleAssets load() {
        String uplot = "META-INF/resources/webjars/uplot/" + webjarVersion("org.webjars.npm", "uplot") + "/dist/";
        String bootstrap = "META-INF/resources/webjars/bootstrap/" + webjarVersion("org.webjars.npm", "bootstrap") + "/dist/";
        String own = "io/agentgateway/console/";
        Map<String, Asset> assets = new LinkedHashMap<>();
        put(assets, "", own + "index.html", "text/html; charset=utf-8");
        put(assets, "console.js", own + "console.js", "text/javascript; charset=utf-8");
        put(assets, "console.css", own + "console.css", "text/css; charset=utf-8");
        put(assets, "lib/uPlot.iife.min.js", uplot + "uPlot.iife.min.js", "text/javascript; charset=utf-8");
        put(assets, "lib/uPlot.min.css", uplot + "uPlot.min.css", "text/css; charset=utf-8");
        put(assets, "lib/bootstrap.min.css", bootstrap + "css/bootstrap.min.css", "text/css; charset=utf-8");
        put(assets, "lib/bootstrap.bundle.min.js", bootstrap + "js/bootstrap.bundle.min.js", "text/javascript; charset=utf-8");
        return new ConsoleAssets(assets);
    }

    /** Serves {@code /ui/PATH}; a path not listed is a 404. */
    void serve(RoutingContext rc) {
        String path = rc.request().path();
        int at = path.indexOf("/ui/");
        Asset a = at < 0 ? null : assets.get(path.substring(at + 4));
        var response = rc.response()
                .putHeader("content-security-policy", CSP)
                .putHeader("x-content-type-options", "nosniff")
                .putHeader("referrer-policy", "no-referrer")
                .putHeader("x-frame-options", "DENY");
        if (a == null) {
            response.setStatusCode(404).putHeader("content-type", "text/plain; charset=utf-8").end("not found\n");
            return;
        }
        response.putHeader("cache-control", "no-cache").putHeader("etag", a.etag());
        if (a.etag().equals(rc.request().getHeader("if-none-match"))) {
            response.setStatusCode(304).end();
            return;
        }
        response.putHeader("content-type", a.type()).end(a.body());
    }

    private static void put(Map<String, Asset> assets, String path, String resource, String type) {
        byte[] bytes = read(resource);
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
            assets.put(path, new Asset(Buffer.buffer(bytes), type, "\"" + HexFormat.of().formatHex(digest, 0, 12) + "\""));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The version of a WebJar on the classpath, from the Maven properties it ships. */
    static String webjarVersion(String group, String artifact) {
        Properties p = new Properties();
        try (InputStream in = resource("META-INF/maven/" + group + "/" + artifact + "/pom.properties")) {
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p.getProperty("version");
    }

    private static byte[] read(String resource) {
        try (InputStream in = resource(resource)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static InputStream resource(String name) {
        InputStream in = ConsoleAssets.class.getClassLoader().getResourceAsStream(name);
        if (in == null) {
            throw new IllegalStateException("the console's file " + name + " is missing from the jar");
        }
        return in;
    }
}
