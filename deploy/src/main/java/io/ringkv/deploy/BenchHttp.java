package io.ringkv.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ringkv.checker.cluster.LocalCluster;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import java.util.function.IntUnaryOperator;
import java.util.function.Predicate;

/** HTTP to the nodes of a benchmark's local cluster ({@code kv aae bench}, {@code kv cluster handoff-bench}). */
final class BenchHttp {

    private static final ObjectMapper JSON = new ObjectMapper();

    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private final LocalCluster cluster;

    BenchHttp(LocalCluster cluster) {
        this.cluster = cluster;
    }

    /** GETs {@code path} from node {@code node} (counting from 1) and parses the JSON answer. */
    JsonNode get(int node, String path) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri(node, path)).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(r.body());
    }

    /** POSTs the JSON {@code body} to {@code path} on node {@code node} and parses the JSON answer. */
    JsonNode post(int node, String path, String body) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri(node, path)).timeout(Duration.ofSeconds(10))
                        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(r.body());
    }

    private URI uri(int node, String pathAndQuery) {
        return URI.create("http://" + cluster.node(node).httpAddress() + pathAndQuery);
    }

    /**
     * Writes {@code count} keys, 32 at a time, key i through node {@code nodeOf(i)} with the query
     * {@code query}, each with its context from {@code contexts} if there is one; remembers there the
     * contexts of the written keys {@code remember} accepts. Says how far it got every 5 seconds.
     *
     * @throws IllegalStateException if any write failed
     */
    void writeAll(int count, IntFunction<String> keyOf, IntUnaryOperator nodeOf, byte[] value, String query,
                  Map<String, String> contexts, Predicate<String> remember) throws InterruptedException {
        Semaphore inFlight = new Semaphore(32);
        AtomicLong failures = new AtomicLong();
        long lastReport = System.nanoTime();
        for (int i = 0; i < count; i++) {
            inFlight.acquire();
            if (System.nanoTime() - lastReport > TimeUnit.SECONDS.toNanos(5)) {
                System.err.printf("  written %d of %d keys%n", i, count);
                lastReport = System.nanoTime();
            }
            String key = keyOf.apply(i);
            HttpRequest.Builder b = HttpRequest.newBuilder(uri(nodeOf.applyAsInt(i), "/kv/" + ForegroundLoad.encode(key) + "?" + query))
                    .timeout(Duration.ofSeconds(30)).PUT(HttpRequest.BodyPublishers.ofByteArray(value));
            String context = contexts.get(key);
            if (context != null) {
                b.header("X-Context", context);
            }
            http.sendAsync(b.build(), HttpResponse.BodyHandlers.discarding()).whenComplete((r, e) -> {
                if (e != null || r.statusCode() != 204) {
                    failures.incrementAndGet();
                } else if (remember.test(key)) {
                    r.headers().firstValue("X-Context").ifPresent(c -> contexts.put(key, c));
                }
                inFlight.release();
            });
        }
        inFlight.acquire(32);
        if (failures.get() > 0) {
            throw new IllegalStateException(failures.get() + " of " + count + " writes failed");
        }
    }
}
