package io.ringkv.deploy;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * The foreground load of the background-work benchmarks ({@code kv aae bench}, {@code kv handoff bench}):
 * reads and writes of {@code keys} keys named {@code prefix-i}, half each, through the given nodes on a
 * fixed schedule. Each latency is counted from when the request was due, so a stall is charged to every
 * request it delayed (no coordinated omission); latencies are kept in 100 ms samples so that any window
 * can be reported afterwards.
 */
final class ForegroundLoad implements AutoCloseable {

    static final long SAMPLE_MS = 100;

    /** When one sampling interval ended, and its latencies. */
    private record Sample(long endMillis, Histogram histogram) {
    }

    private final HttpClient http;
    private final List<String> nodes;
    private final String prefix;
    private final int keys;
    private final byte[] value;
    private final ScheduledExecutorService timer = Executors.newScheduledThreadPool(1);
    private final Recorder recorder = new Recorder(TimeUnit.SECONDS.toNanos(60), 3);
    private final Map<String, String> contexts = new ConcurrentHashMap<>();
    private final Random random = new Random(3);
    private final List<Sample> samples = new ArrayList<>();
    private volatile boolean stopped;

    /** Starts the load at once: {@code rate} requests per second through {@code nodes} (host:port). */
    ForegroundLoad(HttpClient http, List<String> nodes, String prefix, int keys, int valueSize, int rate) {
        this.http = http;
        this.nodes = List.copyOf(nodes);
        this.prefix = prefix;
        this.keys = keys;
        this.value = new byte[valueSize];
        long periodNanos = TimeUnit.SECONDS.toNanos(1) / rate;
        long start = System.nanoTime();
        AtomicLong sent = new AtomicLong();
        timer.scheduleAtFixedRate(() -> {
            // Catch up with the schedule: each request is due at start + n * period.
            long now = System.nanoTime();
            while (!stopped && start + sent.get() * periodNanos <= now) {
                send(start + sent.getAndIncrement() * periodNanos);
            }
        }, 0, 1, TimeUnit.MILLISECONDS);
        timer.scheduleAtFixedRate(() -> {
            Histogram h = recorder.getIntervalHistogram();
            synchronized (samples) {
                samples.add(new Sample(System.currentTimeMillis(), h));
            }
        }, SAMPLE_MS, SAMPLE_MS, TimeUnit.MILLISECONDS);
    }

    private void send(long dueNanos) {
        String key = prefix + "-" + random.nextInt(keys);
        String node = nodes.get(random.nextInt(nodes.size()));
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://" + node + "/kv/" + encode(key)))
                .timeout(Duration.ofSeconds(10));
        if (random.nextBoolean()) {
            b.GET();
        } else {
            String context = contexts.get(key);
            if (context != null) {
                b.header("X-Context", context);
            }
            b.PUT(HttpRequest.BodyPublishers.ofByteArray(value));
        }
        CompletableFuture<HttpResponse<Void>> f = http.sendAsync(b.build(), HttpResponse.BodyHandlers.discarding());
        f.whenComplete((r, e) -> {
            if (r != null) {
                r.headers().firstValue("X-Context").ifPresent(c -> contexts.put(key, c));
            }
            recorder.recordValue(Math.min(TimeUnit.SECONDS.toNanos(60), System.nanoTime() - dueNanos));
        });
    }

    /** The latencies of the samples whose interval overlaps {@code [from, to]} (wall-clock ms). */
    Histogram between(long from, long to) {
        Histogram out = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
        synchronized (samples) {
            for (Sample s : samples) {
                if (s.endMillis() > from && s.endMillis() - SAMPLE_MS < to) {
                    out.add(s.histogram());
                }
            }
        }
        return out;
    }

    @Override
    public void close() {
        stopped = true;
        timer.shutdownNow();
    }

    /** Prints one window's percentiles. */
    static void line(PrintStream out, String window, Histogram h) {
        out.printf("    %-38s p50 %6.2f ms  p99 %6.2f ms  max %6.2f ms  (%d requests)%n", window + ":", ms(h, 50), ms(h, 99),
                h.getMaxValue() / 1e6, h.getTotalCount());
    }

    private static double ms(Histogram h, double percentile) {
        return h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(percentile) / 1e6;
    }

    static String encode(String key) {
        return URLEncoder.encode(key, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** Deletes a benchmark's data directory left from an earlier run. */
    static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> all = Files.walk(path)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
