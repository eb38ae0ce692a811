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

/**
 * A namespace's remaining token budget under one rule, as the gateway's admin {@code /metrics}
 * reports it ({@code agentgateway_budget_remaining}), for tests that check a call was charged
 * exactly what its upstream reported.
 */
public final class BudgetGauge {
    private final HttpClient http = HttpClient.newHttpClient();
    private final TestGateway gateway;
    private final Pattern line;
    private final long limit;

    public BudgetGauge(TestGateway gateway, String rule, String namespace, long limit) {
        this.gateway = gateway;
        this.limit = limit;
        this.line = Pattern.compile("(?m)^agentgateway_budget_remaining\\{limit_by=\"tokens\",namespace=\"" + Pattern.quote(namespace)
                + "\",rule=\"" + Pattern.quote(rule) + "\"} (\\S+)$");
    }

    /** What is left; the whole limit before the namespace's first call. */
    public long remaining() {
        double v = gauge();
        return Double.isNaN(v) ? limit : (long) v;
    }

    /** Waits until the budget stands at {@code before - tokens}: the reservation reconciled to the reported usage. */
    public void awaitCharged(long before, long tokens) {
        Await.until("the call is charged " + tokens + " tokens", () -> (long) gauge() == before - tokens);
    }

    private double gauge() {
        try {
            String text = http.send(HttpRequest.newBuilder(URI.create(gateway.adminUrl() + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            Matcher m = line.matcher(text);
            return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
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
