package io.ringkv.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A client of a ringkv cluster over its public HTTP/JSON API.
 *
 * <p>Requests go to the given nodes in turn; any node coordinates any key. Reads return every sibling
 * and the causal context; writes and deletes take the context back. Nothing is retried: whether a
 * failed write took effect is for the caller to judge ({@link KvException#outcomeUnknown()}), and so is
 * when to try again ({@link KvException#retryAfter()}).
 * Thread-safe; one instance can serve many threads.
 */
public final class KvClient implements AutoCloseable {

    static final String CONTEXT_HEADER = "X-Context";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<URI> nodes;
    private final Duration requestTimeout;
    private final ExecutorService executor;
    private final HttpClient http;
    private final AtomicInteger next = new AtomicInteger();
    /** The Authorization header of every request, or null without credentials. */
    private final String authorization;

    private KvClient(List<URI> nodes, Duration requestTimeout, Duration connectTimeout, SSLContext tls, String authorization) {
        this.authorization = authorization;
        if (nodes.isEmpty()) {
            throw new IllegalArgumentException("at least one node address is needed");
        }
        this.nodes = List.copyOf(nodes);
        this.requestTimeout = requestTimeout;
        // Our own executor so that close() can release the threads (HttpClient.close() is Java 21+).
        this.executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "ringkv-client");
            t.setDaemon(true);
            return t;
        });
        HttpClient.Builder http = HttpClient.newBuilder()
                .executor(executor)
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(connectTimeout);
        if (tls != null) {
            http.sslContext(tls);
        }
        this.http = http.build();
    }

    /** A client of the nodes at {@code addresses} ("host:port", "http://host:port" or "https://host:port"). */
    public static KvClient connect(String... addresses) {
        return builder().nodes(addresses).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Reads {@code key} with the cluster's defaults. */
    public GetResult get(String key) {
        return join(getAsync(key, ReadOptions.defaults()));
    }

    public GetResult get(String key, ReadOptions options) {
        return join(getAsync(key, options));
    }

    /** Reads {@code key}: found, not found (a deleted key still carries a context), or siblings. */
    public CompletableFuture<GetResult> getAsync(String key, ReadOptions options) {
        Map<String, Object> query = new java.util.LinkedHashMap<>();
        query.put("r", options.r());
        query.put("read_repair", options.readRepair());
        query.put("sloppy", options.sloppy());
        Duration timeout = putTimeout(query, options.timeout());
        HttpRequest request = request(keyPath(key), query, timeout).GET().build();
        return send(request).thenApply(KvClient::toGetResult);
    }

    /**
     * Writes {@code value} as {@code key}'s value, superseding what {@code context} saw.
     *
     * @return the context of the written value when the cluster can give it exactly (what the write saw
     *         plus itself), to write the key again without reading it; {@link CausalContext#none()}
     *         otherwise, in which case read before writing again or the next write becomes a sibling
     */
    public CausalContext put(String key, byte[] value, String contentType, CausalContext context) {
        return join(putAsync(key, value, contentType, context, WriteOptions.defaults()));
    }

    public CausalContext put(String key, byte[] value, String contentType, CausalContext context, WriteOptions options) {
        return join(putAsync(key, value, contentType, context, options));
    }

    /** Writes a UTF-8 text value. */
    public CausalContext put(String key, String value, CausalContext context) {
        return put(key, value, context, WriteOptions.defaults());
    }

    public CausalContext put(String key, String value, CausalContext context, WriteOptions options) {
        return put(key, value.getBytes(StandardCharsets.UTF_8), "text/plain; charset=utf-8", context, options);
    }

    public CompletableFuture<CausalContext> putAsync(String key, byte[] value, String contentType, CausalContext context,
                                                     WriteOptions options) {
        Map<String, Object> query = writeQuery(options);
        Duration timeout = putTimeout(query, options.timeout());
        HttpRequest.Builder b = request(keyPath(key), query, timeout)
                .header("Content-Type", contentType)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(value));
        withContext(b, context);
        return send(b.build()).thenApply(KvClient::expectSuccess);
    }

    /**
     * Deletes {@code key}: a tombstone superseding what {@code context} saw; concurrent writes survive it.
     *
     * @return the context of the tombstone when exact, as for {@link #put}
     */
    public CausalContext delete(String key, CausalContext context) {
        return join(deleteAsync(key, context, WriteOptions.defaults()));
    }

    public CausalContext delete(String key, CausalContext context, WriteOptions options) {
        return join(deleteAsync(key, context, options));
    }

    public CompletableFuture<CausalContext> deleteAsync(String key, CausalContext context, WriteOptions options) {
        Map<String, Object> query = writeQuery(options);
        Duration timeout = putTimeout(query, options.timeout());
        HttpRequest.Builder b = request(keyPath(key), query, timeout).DELETE();
        withContext(b, context);
        return send(b.build()).thenApply(KvClient::expectSuccess);
    }

    /** The cluster view of the next node: members, liveness, ownership, quorum defaults. */
    public JsonNode clusterStatus() {
        HttpRequest request = request("/cluster", Map.of(), requestTimeout).GET().build();
        return join(send(request).thenApply(KvClient::expectJson));
    }

    /**
     * Anti-entropy as the next node sees it: for each partition it holds, its Merkle tree and the last
     * exchanges it started with the other replicas ({@code GET /cluster/aae}).
     */
    public JsonNode antiEntropyStatus() {
        HttpRequest request = request("/cluster/aae", Map.of(), requestTimeout).GET().build();
        return join(send(request).thenApply(KvClient::expectJson));
    }

    /**
     * Changes cluster-wide settings at runtime (for example {@code n}, {@code r}, {@code w}); the change
     * spreads to every node. Returns the settings now in force.
     */
    public JsonNode updateSettings(Map<String, Object> settings) {
        byte[] body;
        try {
            body = JSON.writeValueAsBytes(settings);
        } catch (IOException e) {
            throw new IllegalArgumentException("settings are not serialisable: " + e.getMessage(), e);
        }
        HttpRequest request = request("/cluster/settings", Map.of(), requestTimeout)
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        return join(send(request).thenApply(KvClient::expectJson));
    }

    /**
     * Stages the join of {@code node}, a live member not in the ring yet ({@code address}, its HTTP
     * address, is checked when given), on the node this client talks to; returns the plan so far.
     */
    public JsonNode stageJoin(String node, String address) {
        Map<String, Object> body = new java.util.LinkedHashMap<>();
        body.put("join", node);
        if (address != null) {
            body.put("address", address);
        }
        return postJson("/cluster/staged", body);
    }

    /** Stages the departure of ring member {@code node}; returns the plan so far. */
    public JsonNode stageLeave(String node) {
        return postJson("/cluster/staged", Map.of("leave", node));
    }

    /** Drops the changes staged on the node this client talks to. */
    public JsonNode clearStaged() {
        return join(send(request("/cluster/staged", Map.of(), requestTimeout).DELETE().build()).thenApply(KvClient::expectJson));
    }

    /** What committing the staged changes would do; fails with the reason if they cannot be planned. */
    public JsonNode plan() {
        return join(send(request("/cluster/plan", Map.of(), requestTimeout).GET().build()).thenApply(KvClient::expectJson));
    }

    /** Commits the staged changes: data starts moving, and ownership changes once it has. */
    public JsonNode commit() {
        return postJson("/cluster/commit", Map.of());
    }

    /**
     * Counts the handoffs of {@code node}, down for good, as done, so that the change in progress can
     * complete without it (writes only it acknowledged are not carried over).
     */
    public JsonNode forceHandoff(String node) {
        return postJson("/cluster/force-handoff", Map.of("node", node));
    }

    /** The cluster's users: names, roles and key prefixes ({@code GET /cluster/users}, admin only). */
    public JsonNode users() {
        return join(send(request("/cluster/users", Map.of(), requestTimeout).GET().build()).thenApply(KvClient::expectJson));
    }

    /**
     * Creates or changes user {@code name} (admin only): its roles ({@code read}, {@code write},
     * {@code admin}), the key prefix its reads and writes are limited to ({@code ""} for all keys), and
     * its password, or null to keep the one a user that exists has.
     */
    public JsonNode putUser(String name, String password, List<String> roles, String keyPrefix) {
        Map<String, Object> body = new java.util.LinkedHashMap<>();
        if (password != null) {
            body.put("password", password);
        }
        body.put("roles", roles);
        body.put("key_prefix", keyPrefix == null ? "" : keyPrefix);
        byte[] bytes;
        try {
            bytes = JSON.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new IllegalArgumentException("not serialisable: " + e.getMessage(), e);
        }
        HttpRequest request = request(userPath(name), Map.of(), requestTimeout)
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)).build();
        return join(send(request).thenApply(KvClient::expectJson));
    }

    /** Removes user {@code name} (admin only). */
    public JsonNode removeUser(String name) {
        return join(send(request(userPath(name), Map.of(), requestTimeout).DELETE().build()).thenApply(KvClient::expectJson));
    }

    private static String userPath(String name) {
        return "/cluster/users/" + URLEncoder.encode(name, StandardCharsets.UTF_8);
    }

    private JsonNode postJson(String path, Map<String, Object> json) {
        byte[] body;
        try {
            body = JSON.writeValueAsBytes(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("not serialisable: " + e.getMessage(), e);
        }
        HttpRequest request = request(path, Map.of(), requestTimeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        return join(send(request).thenApply(KvClient::expectJson));
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }

    private Map<String, Object> writeQuery(WriteOptions options) {
        Map<String, Object> query = new java.util.LinkedHashMap<>();
        query.put("w", options.w());
        query.put("sloppy", options.sloppy());
        return query;
    }

    private Duration putTimeout(Map<String, Object> query, Duration timeout) {
        if (timeout == null) {
            return requestTimeout;
        }
        query.put("timeout_ms", timeout.toMillis());
        // The coordinator answers by its timeout; allow the answer time to arrive.
        return timeout.plusMillis(500);
    }

    private static void withContext(HttpRequest.Builder b, CausalContext context) {
        if (context != null && !context.isNone()) {
            b.header(CONTEXT_HEADER, context.token());
        }
    }

    private HttpRequest.Builder request(String path, Map<String, Object> query, Duration timeout) {
        URI base = nodes.get(Math.floorMod(next.getAndIncrement(), nodes.size()));
        StringJoiner q = new StringJoiner("&", "?", "").setEmptyValue("");
        query.forEach((k, v) -> {
            if (v != null) {
                q.add(k + "=" + URLEncoder.encode(String.valueOf(v), StandardCharsets.UTF_8));
            }
        });
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path + q)).timeout(timeout);
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return b;
    }

    private static String keyPath(String key) {
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException("key must not be empty");
        }
        // URLEncoder encodes for forms: a space becomes '+', which a path does not decode.
        return "/kv/" + URLEncoder.encode(key, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private CompletableFuture<HttpResponse<byte[]>> send(HttpRequest request) {
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray())
                .exceptionally(e -> {
                    Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
                    String what = cause instanceof HttpConnectTimeoutException ? "connect timed out"
                            : cause instanceof HttpTimeoutException ? "timed out"
                            : cause.getClass().getSimpleName() + ": " + cause.getMessage();
                    throw new KvException(request.method() + " " + request.uri() + ": " + what, cause);
                });
    }

    private static GetResult toGetResult(HttpResponse<byte[]> response) {
        CausalContext context = CausalContext.of(response.headers().firstValue(CONTEXT_HEADER).orElse(null));
        switch (response.statusCode()) {
            case 200 -> {
                String type = response.headers().firstValue("Content-Type").orElse("application/octet-stream");
                return new GetResult(List.of(new Sibling(response.body(), type)), context);
            }
            case 300 -> {
                JsonNode body = parseJson(response);
                CausalContext merged = CausalContext.of(body.path("context").asText(context.token()));
                return new GetResult(siblings(response, body), merged);
            }
            case 404 -> {
                // Only the node's own "not found" is an answer about the key; a 404 from a proxy or a
                // wrong address read as one would pass for a real read of nothing.
                KvException notFound = error(response);
                if (!"not_found".equals(notFound.error())) {
                    throw notFound;
                }
                return new GetResult(List.of(), context);
            }
            default -> throw error(response);
        }
    }

    /**
     * The siblings of a 300, strictly: a list that is missing or empty would read as "not found", and a
     * caller (the checker's histories above all) would take a garbled answer for a real read.
     */
    private static List<Sibling> siblings(HttpResponse<byte[]> response, JsonNode body) {
        JsonNode list = body.path("siblings");
        if (!list.isArray() || list.isEmpty()) {
            throw badResponse(response, "300 without a list of siblings");
        }
        List<Sibling> siblings = new ArrayList<>();
        for (JsonNode s : list) {
            JsonNode value = s.path("value_base64");
            if (!value.isTextual()) {
                throw badResponse(response, "a sibling without value_base64");
            }
            try {
                siblings.add(new Sibling(Base64.getDecoder().decode(value.asText()),
                        s.path("content_type").asText("application/octet-stream")));
            } catch (IllegalArgumentException e) {
                throw badResponse(response, "value_base64 is not base64: " + e.getMessage());
            }
        }
        return siblings;
    }

    private static CausalContext expectSuccess(HttpResponse<byte[]> response) {
        if (response.statusCode() / 100 != 2) {
            throw error(response);
        }
        return CausalContext.of(response.headers().firstValue(CONTEXT_HEADER).orElse(null));
    }

    private static JsonNode expectJson(HttpResponse<byte[]> response) {
        if (response.statusCode() / 100 != 2) {
            throw error(response);
        }
        return parseJson(response);
    }

    private static JsonNode parseJson(HttpResponse<byte[]> response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw badResponse(response, "response is not JSON: " + e.getMessage());
        }
    }

    private static KvException badResponse(HttpResponse<byte[]> response, String why) {
        return new KvException(response.statusCode(), "bad_response", response.request().method() + " "
                + response.request().uri().getPath() + " -> " + response.statusCode() + " " + why);
    }

    private static KvException error(HttpResponse<byte[]> response) {
        String error = "http_" + response.statusCode();
        String message = new String(response.body(), StandardCharsets.UTF_8);
        try {
            JsonNode body = JSON.readTree(response.body());
            if (body != null && body.hasNonNull("error")) {
                error = body.get("error").asText();
                JsonNode detail = body.get("detail");
                message = error + (detail == null || detail.isNull() ? "" : ": " + (detail.isTextual() ? detail.asText() : detail.toString()));
            }
        } catch (IOException ignored) {
            // Not JSON (a proxy, or not a ringkv node): the raw body is the best message there is.
        }
        return new KvException(response.statusCode(), error, response.request().method() + " "
                + response.request().uri().getPath() + " -> " + response.statusCode() + " " + message,
                retryAfter(response));
    }

    /**
     * The {@code Retry-After} of an answer in delta-seconds, or null. An HTTP-date is not read: ringkv
     * nodes send seconds, and a proxy's date would need this machine's clock to agree with the proxy's.
     */
    private static Duration retryAfter(HttpResponse<?> response) {
        String raw = response.headers().firstValue("Retry-After").orElse("").trim();
        // Nine digits at most: over thirty years, and no overflow to guard against.
        if (raw.isEmpty() || raw.length() > 9 || !raw.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return null;
        }
        return Duration.ofSeconds(Long.parseLong(raw));
    }

    private static <T> T join(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof KvException k) {
                throw k;
            }
            throw e;
        }
    }

    /** Builds a {@link KvClient}. */
    public static final class Builder {
        /** Addresses as given: a bare "host:port" gets its scheme once it is known whether TLS is on. */
        private final List<String> nodes = new ArrayList<>();
        private Duration requestTimeout = Duration.ofSeconds(10);
        private Duration connectTimeout = Duration.ofSeconds(2);
        private SSLContext tls;
        private String authorization;

        private Builder() {
        }

        /**
         * Node addresses, "host:port", "http://host:port" or "https://host:port"; a bare "host:port" is
         * reached over HTTPS when the client trusts a certificate authority, else over plain HTTP.
         */
        public Builder nodes(String... addresses) {
            nodes.addAll(List.of(addresses));
            return this;
        }

        public Builder nodes(List<URI> addresses) {
            addresses.forEach(a -> nodes.add(a.toString()));
            return this;
        }

        /**
         * Reaches the nodes over HTTPS, trusting only the cluster's certificate authority (the PEM file
         * {@code kv certs create-ca} wrote); a node whose certificate it did not issue, or whose
         * certificate does not name the host the client asked for, is refused.
         */
        public Builder trustCertificateAuthority(Path caPem) {
            this.tls = ClusterTrust.sslContext(caPem);
            return this;
        }

        /** How long a request may take when its options give no timeout (default 10 s). */
        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = timeout;
            return this;
        }

        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = timeout;
            return this;
        }

        /**
         * Authenticates every request as {@code user} with HTTP Basic. Only over HTTPS: credentials are
         * never sent in the clear.
         */
        public Builder credentials(String user, String password) {
            if (user == null || user.isEmpty() || user.contains(":") || password == null) {
                throw new IllegalArgumentException("a user name without ':' and a password are needed");
            }
            this.authorization = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password)
                    .getBytes(StandardCharsets.UTF_8));
            return this;
        }

        public KvClient build() {
            if (authorization != null && tls == null) {
                throw new IllegalArgumentException("credentials are sent only over HTTPS: trust the cluster's "
                        + "certificate authority too");
            }
            String scheme = tls == null ? "http://" : "https://";
            if (tls != null && nodes.stream().anyMatch(a -> a.startsWith("http://"))) {
                throw new IllegalArgumentException("an http:// address with a trusted certificate authority: the "
                        + "cluster is reached over https:// only");
            }
            List<URI> uris = nodes.stream().map(a -> URI.create(a.contains("://") ? a : scheme + a)).toList();
            return new KvClient(uris, requestTimeout, connectTimeout, tls, authorization);
        }
    }
}
