package io.ringkv.deploy;

import io.ringkv.node.security.PasswordHash;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.PemTrustOptions;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * {@code kv bench}: a load generator for a running cluster over the public HTTP API.
 *
 * <p>{@code --concurrency} clients each send one request at a time (closed loop) to the nodes in turn,
 * mixing reads and writes of {@code --value-size} byte values over {@code --keys} keys. Reads pick any
 * key; each client writes only its own share of the keys (key i belongs to client i mod concurrency) and
 * carries the context its previous write of that key answered with, as an application with one writer
 * per key would; a client that has no context for a key (its first write of it, or after a write whose
 * context could not be given exactly) reads the key first. So the benchmark measures the store, not a
 * growing pile of siblings made by blind writes; those reads count as reads. Latency
 * is recorded in an HdrHistogram from the moment a request was due: with {@code --rate} requests are due
 * on a fixed schedule, so a stall is charged to every request it delayed (no coordinated omission).
 * Slots of the warm-up that a client has not reached when measuring starts are skipped (see
 * {@link #skipWarmupBacklog}).
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Measures throughput and latency of a running cluster with a read/write mix.")
public final class BenchCommand implements java.util.concurrent.Callable<Integer> {

    @Option(names = "--nodes", split = ",", description = "Node HTTP addresses (default: 127.0.0.1:7070,127.0.0.2:7070,127.0.0.3:7070).")
    List<String> nodes = new ArrayList<>(List.of("127.0.0.1:7070", "127.0.0.2:7070", "127.0.0.3:7070"));

    @Option(names = "--duration", description = "Measured seconds (default: ${DEFAULT-VALUE}).", defaultValue = "30")
    int durationSeconds;

    @Option(names = "--warmup", description = "Seconds of load before measuring (default: ${DEFAULT-VALUE}).", defaultValue = "10")
    int warmupSeconds;

    @Option(names = "--concurrency", description = "Requests in flight (default: ${DEFAULT-VALUE}).", defaultValue = "64")
    int concurrency;

    @Option(names = "--rate", description = "Target requests per second over all clients; unlimited when absent.")
    Integer rate;

    @Option(names = "--keys", description = "Distinct keys (default: ${DEFAULT-VALUE}).", defaultValue = "10000")
    int keys;

    @Option(names = "--value-size", description = "Bytes per value (default: ${DEFAULT-VALUE}).", defaultValue = "1024")
    int valueSize;

    @Option(names = "--read-percent", description = "Share of reads, 0-100 (default: ${DEFAULT-VALUE}).", defaultValue = "50")
    int readPercent;

    @Option(names = "--r", description = "Read quorum per request; the cluster default when absent.")
    Integer r;

    @Option(names = "--w", description = "Write quorum per request; the cluster default when absent.")
    Integer w;

    @Option(names = "--no-preload", description = "Do not write every key once before the run.")
    boolean noPreload;

    @Option(names = "--seed", description = "Random seed (default: ${DEFAULT-VALUE}).", defaultValue = "1")
    long seed;

    @Option(names = "--cacert", paramLabel = "FILE", description = "The cluster's certificate authority: HTTPS, "
            + "trusting only it (default: $KV_CACERT; plain HTTP without either).")
    Path cacert;

    @Option(names = "--user", description = "Authenticate every request as this user (default: $KV_USER; the "
            + "password from $KV_PASSWORD or --password-file).")
    String user;

    @Option(names = "--password-file", paramLabel = "FILE", description = "A file whose first line is the password.")
    Path passwordFile;

    /** The Authorization header of every request, or null. */
    private String authorization;

    /** The context to write each key with; "" for a key known to have no value. */
    private final Map<String, String> contexts = new ConcurrentHashMap<>();
    private final LongAdder reads = new LongAdder();
    private final LongAdder writes = new LongAdder();
    private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
    private final Recorder recorder = new Recorder(TimeUnit.SECONDS.toNanos(60), 3);
    private volatile boolean stopping;
    /** With --rate: clients waiting for their next slot; used on the load generator's event loop only. */
    private final DueQueue waiting = new DueQueue();
    /** When measuring starts ({@link System#nanoTime()}); set before the clients start. */
    private volatile long warmupEnd;

    @Override
    public Integer call() throws Exception {
        if (readPercent < 0 || readPercent > 100 || concurrency < 1 || keys < 1 || valueSize < 0 || durationSeconds < 1) {
            throw new IllegalArgumentException("--read-percent 0-100, --concurrency, --keys and --duration at least 1");
        }
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setPreferNativeTransport(true));
        HttpClientOptions clientOptions = new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true)
                .setConnectTimeout(2000).setIdleTimeout(60);
        Map<String, String> env = System.getenv();
        Path ca = cacert != null ? cacert : env.containsKey("KV_CACERT") ? Path.of(env.get("KV_CACERT")) : null;
        if (ca != null) {
            // Reused connections: a handshake per connection, not per request.
            clientOptions.setSsl(true).setTrustOptions(new PemTrustOptions().addCertPath(ca.toString()))
                    .setVerifyHost(true);
        }
        String name = user != null ? user : env.get("KV_USER");
        if (name != null) {
            String password = passwordFile != null ? PasswordHash.readFile(passwordFile) : env.get("KV_PASSWORD");
            if (ca == null || password == null) {
                throw new IllegalArgumentException("--user needs --cacert (credentials only over HTTPS) and a password "
                        + "(--password-file or $KV_PASSWORD)");
            }
            authorization = "Basic " + Base64.getEncoder().encodeToString((name + ":" + password)
                    .getBytes(StandardCharsets.UTF_8));
        }
        HttpClientAgent http = vertx.createHttpClient(clientOptions,
                new PoolOptions().setHttp1MaxSize(concurrency / nodes.size() + 1).setMaxWaitQueueSize(-1));
        try {
            Buffer value = Buffer.buffer(new byte[valueSize]);
            if (!noPreload) {
                preload(vertx, http, value);
            }
            System.err.printf("load: %d clients, %d%% reads, %d keys, %d-byte values, %s, nodes %s%n", concurrency,
                    readPercent, keys, valueSize, rate == null ? "closed loop" : rate + " req/s", nodes);
            long start = System.nanoTime();
            warmupEnd = start + TimeUnit.SECONDS.toNanos(warmupSeconds);
            long end = warmupEnd + TimeUnit.SECONDS.toNanos(durationSeconds);
            CountDownLatch done = new CountDownLatch(concurrency);
            if (rate != null) {
                // Every millisecond (a timer's granularity): start the clients whose slot has come.
                vertx.setPeriodic(1, t -> {
                    if (stopping) {
                        waiting.startAll();
                        vertx.cancelTimer(t);
                    } else {
                        waiting.startDue(System.nanoTime());
                    }
                });
            }
            long intervalNanos = rate == null ? 0 : Math.max(1, TimeUnit.SECONDS.toNanos(1) * concurrency / rate);
            for (int c = 0; c < concurrency; c++) {
                SplittableRandom random = new SplittableRandom(seed * 1_000_003 + c);
                long first = start + (intervalNanos == 0 ? 0 : random.nextLong(intervalNanos));
                int client = c;
                vertx.runOnContext(v -> client(vertx, http, random, value, client, first, intervalNanos, end, done));
            }
            Histogram total = report(start, warmupEnd, end);
            stopping = true;
            done.await(30, TimeUnit.SECONDS);
            summarize(total);
            return 0;
        } finally {
            http.close();
            vertx.close().await();
        }
    }

    private void preload(Vertx vertx, HttpClientAgent http, Buffer value) throws InterruptedException {
        System.err.printf("preloading %d keys...%n", keys);
        AtomicLong next = new AtomicLong();
        CountDownLatch done = new CountDownLatch(concurrency);
        for (int c = 0; c < concurrency; c++) {
            vertx.runOnContext(v -> preloadNext(http, value, next, done));
        }
        done.await();
    }

    private void preloadNext(HttpClientAgent http, Buffer value, AtomicLong next, CountDownLatch done) {
        long k = next.getAndIncrement();
        if (k >= keys) {
            done.countDown();
            return;
        }
        String key = "bench-" + k;
        send(http, HttpMethod.PUT, key, value, contexts.get(key), (int) k)
                .compose(res -> res.body().map(res))
                .onComplete(ar -> {
                    if (ar.succeeded() && ar.result().getHeader("X-Context") != null) {
                        contexts.put(key, ar.result().getHeader("X-Context"));
                    }
                    preloadNext(http, value, next, done);
                });
    }

    /** One client: sends its next request when the previous one is answered (and, with --rate, when due). */
    private int ownKey(SplittableRandom random, int client) {
        int owned = (keys - client + concurrency - 1) / concurrency;
        return client + concurrency * random.nextInt(Math.max(1, owned));
    }

    private void client(Vertx vertx, HttpClientAgent http, SplittableRandom random, Buffer value, int client, long due,
                        long intervalNanos, long end, CountDownLatch done) {
        long now = System.nanoTime();
        if (stopping || now >= end) {
            done.countDown();
            return;
        }
        long dueAt = intervalNanos == 0 ? due : skipWarmupBacklog(due, intervalNanos, now, warmupEnd);
        if (dueAt > now) {
            waiting.add(dueAt, () -> client(vertx, http, random, value, client, dueAt, intervalNanos, end, done));
            return;
        }
        long startedAt = intervalNanos == 0 ? now : dueAt;
        boolean wantsRead = random.nextInt(100) < readPercent;
        String key = "bench-" + (wantsRead ? random.nextInt(keys) : ownKey(random, client));
        // Without a context, learn the key's first, so the write supersedes what is there instead of adding a sibling.
        boolean learn = !wantsRead && !contexts.containsKey(key);
        boolean read = wantsRead || learn;
        Future<HttpClientResponse> request = read
                ? send(http, HttpMethod.GET, key, null, null, random.nextInt(nodes.size()))
                : send(http, HttpMethod.PUT, key, value, contexts.get(key), random.nextInt(nodes.size()));
        request.compose(res -> res.body().map(res)).onComplete(ar -> {
            recorder.recordValue(Math.min(System.nanoTime() - startedAt, TimeUnit.SECONDS.toNanos(60)));
            if (ar.failed()) {
                errors.computeIfAbsent(ar.cause().getClass().getSimpleName(), e -> new LongAdder()).increment();
            } else {
                HttpClientResponse res = ar.result();
                int status = res.statusCode();
                boolean ok = status == 200 || status == 204 || status == 300 || (read && status == 404);
                if (!ok) {
                    errors.computeIfAbsent("http " + status, e -> new LongAdder()).increment();
                } else if (!read || learn) {
                    String context = res.getHeader("X-Context");
                    if (context != null) {
                        contexts.put(key, context);
                    } else if (learn) {
                        contexts.put(key, ""); // absent: a write without a context adds no sibling
                    } else {
                        // The write's context could not be given exactly: the next write must not reuse the old one.
                        contexts.remove(key);
                    }
                }
            }
            (read ? reads : writes).increment();
            client(vertx, http, random, value, client, intervalNanos == 0 ? 0 : dueAt + intervalNanos, intervalNanos, end, done);
        });
    }

    /**
     * With {@code --rate}: the slot a client's request is due at. A client still behind on warm-up slots
     * once measuring has started skips them and goes on from its first slot at or after the start of the
     * measurement: a backlog built while the JVMs were still compiling is not charged to the measured
     * window. From then on no slot is skipped, however late, so stalls in the window still count in full.
     */
    static long skipWarmupBacklog(long due, long intervalNanos, long now, long warmupEnd) {
        if (due >= warmupEnd || now < warmupEnd) {
            return due;
        }
        long slots = (warmupEnd - due + intervalNanos - 1) / intervalNanos;
        return due + slots * intervalNanos;
    }

    private Future<HttpClientResponse> send(HttpClientAgent http, HttpMethod method, String key, Buffer body,
                                            String context, int nodeIndex) {
        String[] address = nodes.get(Math.floorMod(nodeIndex, nodes.size())).split(":");
        StringBuilder uri = new StringBuilder("/kv/").append(key);
        Integer quorum = method == HttpMethod.GET ? r : w;
        if (quorum != null) {
            uri.append(method == HttpMethod.GET ? "?r=" : "?w=").append(quorum);
        }
        RequestOptions options = new RequestOptions().setMethod(method).setHost(address[0])
                .setPort(Integer.parseInt(address[1])).setURI(uri.toString()).setTimeout(10_000);
        return http.request(options).compose(req -> {
            if (authorization != null) {
                req.putHeader("Authorization", authorization);
            }
            if (context != null && !context.isEmpty()) {
                req.putHeader("X-Context", context);
            }
            if (body != null) {
                req.putHeader("Content-Type", "application/octet-stream");
                return req.send(body);
            }
            return req.send();
        });
    }

    /** Prints a line a second; returns the histogram of the measured window. */
    private Histogram report(long start, long warmupEnd, long end) throws InterruptedException {
        Histogram total = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
        Histogram interval = null;
        long lastOps = 0;
        long lastTime = start;
        boolean measuring = false;
        while (System.nanoTime() < end) {
            Thread.sleep(1000);
            long now = System.nanoTime();
            interval = recorder.getIntervalHistogram(interval);
            long ops = reads.sum() + writes.sum();
            if (!measuring && now >= warmupEnd) {
                measuring = true;
            } else if (measuring) {
                total.add(interval);
            }
            System.err.printf("%4ds %s %8.0f ops/s  p50 %6.2f ms  p99 %7.2f ms  errors %d%n",
                    TimeUnit.NANOSECONDS.toSeconds(now - start), measuring ? "measure" : "warmup ",
                    (ops - lastOps) * 1e9 / (now - lastTime), interval.getValueAtPercentile(50) / 1e6,
                    interval.getValueAtPercentile(99) / 1e6, errors.values().stream().mapToLong(LongAdder::sum).sum());
            lastOps = ops;
            lastTime = now;
        }
        return total;
    }

    private void summarize(Histogram h) {
        double seconds = Duration.ofSeconds(durationSeconds).toNanos() / 1e9;
        Map<String, Long> errorCounts = new TreeMap<>();
        errors.forEach((k, v) -> errorCounts.put(k, v.sum()));
        System.out.printf("result: %.0f ops/s over %d s (%d requests measured)  p50 %.2f ms  p90 %.2f ms  p99 %.2f ms"
                        + "  p99.9 %.2f ms  max %.2f ms  errors %s%n",
                h.getTotalCount() / seconds, durationSeconds, h.getTotalCount(), h.getValueAtPercentile(50) / 1e6,
                h.getValueAtPercentile(90) / 1e6, h.getValueAtPercentile(99) / 1e6, h.getValueAtPercentile(99.9) / 1e6,
                h.getMaxValue() / 1e6, errorCounts);
    }
}
