package io.agentgateway.console;

import io.agentgateway.budget.BudgetUsage;
import io.agentgateway.runtime.Gateway;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Budget usage over time: every {@value #EVERY_MILLIS} ms, what each namespace has used of each
 * rule, read from the counter store as requests are checked against it (so with Redis it is the
 * figure of every replica together). Keeps the last {@value #POINTS} samples per namespace and
 * rule (an hour); nothing when no rule is configured. One periodic timer, not per request.
 *
 * <p>Thread-safe.
 */
final class UsageHistory {
    static final long EVERY_MILLIS = 5_000;
    static final int POINTS = 720;

    /** One sample: epoch milliseconds and the counter's value then. */
    record Point(long at, long used) {
    }

    private final Gateway gateway;
    private final Vertx vertx;
    private final Map<String, Deque<Point>> series = new ConcurrentHashMap<>();
    private long timer = -1;

    UsageHistory(Gateway gateway, Vertx vertx) {
        this.gateway = gateway;
        this.vertx = vertx;
    }

    void start() {
        timer = vertx.setPeriodic(1, EVERY_MILLIS, id -> sample());
    }

    void stop() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    /** The namespaces worth showing: those the config names and those that have sent traffic. */
    Set<String> namespaces(Collection<String> active) {
        Set<String> out = new TreeSet<>(gateway.runtime().namespaces());
        out.addAll(active);
        return out;
    }

    private void sample() {
        long now = gateway.services().clock().millis();
        for (String ns : gateway.runtime().namespaces()) {
            gateway.runtime().budgets().usage(ns).onSuccess(list -> list.forEach(u -> add(u, now)));
        }
    }

    /** Current usage of {@code namespace}, also kept as a sample so the chart ends at the present. */
    Future<List<BudgetUsage>> current(String namespace) {
        long now = gateway.services().clock().millis();
        return gateway.runtime().budgets().usage(namespace).onSuccess(list -> list.forEach(u -> add(u, now)));
    }

    private void add(BudgetUsage u, long now) {
        Deque<Point> points = series.computeIfAbsent(key(u.namespace(), u.rule()), k -> new ArrayDeque<>());
        synchronized (points) {
            Point last = points.peekLast();
            if (last != null && now - last.at() < 1000) {
                points.pollLast();
            }
            points.addLast(new Point(now, u.used()));
            while (points.size() > POINTS) {
                points.pollFirst();
            }
        }
    }

    List<Point> points(String namespace, String rule) {
        Deque<Point> points = series.get(key(namespace, rule));
        if (points == null) {
            return List.of();
        }
        synchronized (points) {
            return new ArrayList<>(points);
        }
    }

    private static String key(String namespace, String rule) {
        return namespace + '\u0000' + rule;
    }
}
