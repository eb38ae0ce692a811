package io.agentgateway.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What a gateway's token budget has left for one rule and namespace, read from its admin port's /metrics. */
public final class BudgetGauge {
    private final TestGateway gateway;
    private final Pattern line;
    private final double limit;

    /** @param limit what is left before the first call (the gauge appears with it) */
    public BudgetGauge(TestGateway gateway, String rule, String namespace, double limit) {
        this.gateway = gateway;
        this.line = Pattern.compile("(?m)^agentgateway_budget_remaining\\{limit_by=\"tokens\",namespace=\"" + namespace
                + "\",rule=\"" + rule + "\"} (\\S+)$");
        this.limit = limit;
    }

    public double remaining() {
        try {
            String text = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(gateway.adminUrl() + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            Matcher m = line.matcher(text);
            return m.find() ? Double.parseDouble(m.group(1)) : limit;
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Waits until exactly {@code tokens} more than at {@code before} have been charged. */
    public void awaitCharged(double before, long tokens) {
        Await.until("the calls are charged " + tokens + " tokens", () -> before - remaining() == tokens);
    }

    /** Writes one key of a mounted Secret ({@code dir/secret/key}), as Kubernetes mounts them. */
    public static void writeSecret(Path dir, String secret, String key, String value) {
        try {
            Files.createDirectories(dir.resolve(secret));
            Files.writeString(dir.resolve(secret).resolve(key), value);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
