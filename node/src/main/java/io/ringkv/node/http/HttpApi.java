package io.ringkv.node.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ringkv.coordinator.ReadRepair;
import io.ringkv.node.NodeConfig;
import io.ringkv.node.NodeMetrics;
import io.ringkv.node.coordination.CoordinationException;
import io.ringkv.node.coordination.ReadRequest;
import io.ringkv.node.coordination.RequestCoordinator;
import io.ringkv.node.coordination.WriteRequest;
import io.ringkv.node.membership.ClusterSettings;
import io.ringkv.node.membership.ClusterState;
import io.ringkv.node.security.ContextSeal;
import io.ringkv.versioning.CausalContextCodec;
import io.ringkv.versioning.DvvSet;
import io.ringkv.versioning.MalformedContextException;
import io.ringkv.versioning.StoredValue;
import io.ringkv.versioning.VersionVector;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The public HTTP/JSON API of a node. Every error is JSON, {@code {"error": ..., "detail": ...}}, and
 * bad input is refused before anything is changed.
 *
 * <pre>
 * PUT    /kv/{key}           body = value, Content-Type kept; X-Context; ?w= &amp;timeout_ms= &amp;sloppy=
 * GET    /kv/{key}           200 value | 300 JSON siblings | 404; X-Context; ?r= &amp;timeout_ms= &amp;sloppy= &amp;read_repair=
 * DELETE /kv/{key}           X-Context; ?w= &amp;timeout_ms= &amp;sloppy=
 * GET    /cluster            members, liveness, ownership, settings
 * GET    /cluster/aae        anti-entropy: per partition held, its tree and its last exchanges
 * POST   /cluster/staged     JSON {"join": id, "address": host:port} or {"leave": id}: stage a change
 * DELETE /cluster/staged     drop the staged changes
 * GET    /cluster/plan       what committing the staged changes would do (409 with the reason if refused)
 * POST   /cluster/commit     start moving data for the staged changes; ownership changes when it is done
 * POST   /cluster/force-handoff  JSON {"node": id}: a node down for good; count its handoffs as done
 * PUT    /cluster/settings   JSON with any of n, r, w, sloppy, read_repair, conflicts, timeout_ms, tombstone_grace_ms
 * GET    /cluster/users      the users: names, roles, key prefixes (never password hashes)
 * PUT    /cluster/users/{name}  JSON {"password", "roles", "key_prefix"}: create or replace a user
 * DELETE /cluster/users/{name}  remove a user
 * GET    /health             200 once the node serves requests, 503 before
 * GET    /metrics            Prometheus text format
 * </pre>
 */
public final class HttpApi implements Handler<HttpServerRequest> {

    private static final Logger log = LoggerFactory.getLogger(HttpApi.class);
    static final ObjectMapper JSON = new ObjectMapper();
    static final String CONTEXT = "X-Context";
    private static final String DEFAULT_TYPE = "application/octet-stream";
    /** Bytes of a refused body read and discarded before the connection is closed instead. */
    private static final long DRAIN_LIMIT = 64L * 1024 * 1024;
    private static final Set<String> READ_PARAMS = Set.of("r", "timeout_ms", "sloppy", "read_repair");
    private static final Set<String> WRITE_PARAMS = Set.of("w", "timeout_ms", "sloppy");

    private final NodeConfig config;
    private final ClusterState cluster;
    private final RequestCoordinator coordinator;
    private final NodeMetrics metrics;
    private final AtomicInteger inflight;
    private final ClusterEndpoints clusterEndpoints;
    private final AntiEntropyEndpoint antiEntropy;
    private final Optional<Authentication> authentication;
    private final UsersEndpoint users;
    private final Optional<ContextSeal> contexts;

    /**
     * @param inflight       client requests in progress on this node, shared by every event loop
     * @param authentication when present, every request but the open ones must authenticate and have
     *                       the role it needs
     */
    public HttpApi(NodeConfig config, ClusterState cluster, RequestCoordinator coordinator, NodeMetrics metrics,
                   AtomicInteger inflight, ClusterEndpoints clusterEndpoints, AntiEntropyEndpoint antiEntropy,
                   Optional<Authentication> authentication, UsersEndpoint users, Optional<ContextSeal> contexts) {
        this.contexts = contexts;
        this.authentication = authentication;
        this.users = users;
        this.config = config;
        this.cluster = cluster;
        this.coordinator = coordinator;
        this.metrics = metrics;
        this.inflight = inflight;
        this.clusterEndpoints = clusterEndpoints;
        this.antiEntropy = antiEntropy;
    }

    @Override
    public void handle(HttpServerRequest req) {
        String path = req.path();
        if (authentication.isEmpty() || authentication.get().open(path)) {
            route(req, path);
            return;
        }
        String key = path.startsWith("/kv/") ? keyForAuthorization(path.substring(4)) : null;
        Future<Authentication.Allowed> allowed = authentication.get().check(req, key);
        if (allowed.isComplete()) {
            finishAuthentication(req, path, allowed);
            return;
        }
        // The body waits while a worker checks the password; nothing of it is read before it is allowed.
        req.pause();
        allowed.onComplete(ar -> {
            try {
                finishAuthentication(req, path, allowed);
            } finally {
                req.resume();
            }
        });
    }

    private void finishAuthentication(HttpServerRequest req, String path, Future<Authentication.Allowed> allowed) {
        if (allowed.succeeded()) {
            route(req, path);
            return;
        }
        ApiError e = allowed.cause() instanceof ApiError a ? a : new ApiError(500, "internal", "authentication failed");
        if (e.status == 401) {
            req.response().putHeader("WWW-Authenticate", "Basic realm=\"ringkv\", charset=\"UTF-8\"");
        }
        if (!req.isEnded()) {
            // A refused request's body is not read: the connection ends with the answer.
            req.response().putHeader(HttpHeaders.CONNECTION, "close");
        }
        metrics.authenticationRefused(e.status);
        error(req.response(), e);
    }

    /** The key a request names, to check a user's key prefix against; "" when it is malformed (refused later). */
    private static String keyForAuthorization(String rawKey) {
        try {
            return PathKeys.decode(rawKey);
        } catch (ApiError e) {
            return "";
        }
    }

    private void route(HttpServerRequest req, String path) {
        try {
            if (path.startsWith("/kv/")) {
                kv(req, path.substring(4));
            } else if (path.equals("/health")) {
                only(req, HttpMethod.GET);
                clusterEndpoints.health(req);
            } else if (path.equals("/cluster")) {
                only(req, HttpMethod.GET);
                clusterEndpoints.status(req);
            } else if (path.equals("/cluster/settings")) {
                if (req.method() == HttpMethod.GET) {
                    json(req.response(), 200, ClusterEndpoints.settingsJson(cluster.settings()));
                } else {
                    only(req, HttpMethod.PUT);
                    readBody(req, 64 * 1024).onSuccess(body -> clusterEndpoints.updateSettings(req, body));
                }
            } else if (path.equals("/cluster/staged")) {
                if (req.method() == HttpMethod.DELETE) {
                    clusterEndpoints.clearStaged(req);
                } else {
                    only(req, HttpMethod.POST);
                    readBody(req, 64 * 1024).onSuccess(body -> clusterEndpoints.stage(req, body));
                }
            } else if (path.equals("/cluster/plan")) {
                only(req, HttpMethod.GET);
                clusterEndpoints.plan(req);
            } else if (path.equals("/cluster/force-handoff")) {
                only(req, HttpMethod.POST);
                readBody(req, 64 * 1024).onSuccess(body -> clusterEndpoints.forceHandoff(req, body));
            } else if (path.equals("/cluster/commit")) {
                only(req, HttpMethod.POST);
                clusterEndpoints.commit(req);
            } else if (path.equals("/cluster/aae")) {
                only(req, HttpMethod.GET);
                antiEntropy.status(req);
            } else if (path.equals("/cluster/users") || path.startsWith("/cluster/users/")) {
                users.handle(req, path.substring("/cluster/users".length()));
            } else if (path.startsWith("/debug/replica/")) {
                only(req, HttpMethod.GET);
                clusterEndpoints.replica(req, PathKeys.decode(path.substring("/debug/replica/".length())));
            } else if (path.equals("/metrics")) {
                only(req, HttpMethod.GET);
                req.response().putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; version=0.0.4").end(metrics.scrape());
            } else {
                throw new ApiError(404, "no_such_endpoint", "no endpoint at " + path);
            }
        } catch (ApiError e) {
            error(req.response(), e);
        }
    }

    private void kv(HttpServerRequest req, String rawKey) {
        HttpMethod method = req.method();
        String op = method == HttpMethod.GET ? "get" : method == HttpMethod.PUT ? "put" : method == HttpMethod.DELETE ? "delete" : null;
        if (op == null) {
            throw new ApiError(405, "method_not_allowed", method + " is not supported on /kv/{key}; use GET, PUT or DELETE");
        }
        String key = PathKeys.decode(rawKey);
        ClusterSettings settings = cluster.settings();
        if (inflight.incrementAndGet() > config.maxInflight()) {
            inflight.decrementAndGet();
            req.response().putHeader("Retry-After", "1");
            throw new ApiError(503, "overloaded", "this node has " + config.maxInflight() + " requests in progress; retry later");
        }
        // Released once, when the response ends or its connection goes away first.
        java.util.concurrent.atomic.AtomicBoolean released = new java.util.concurrent.atomic.AtomicBoolean();
        Handler<Void> release = v -> {
            if (released.compareAndSet(false, true)) {
                inflight.decrementAndGet();
            }
        };
        req.response().endHandler(release);
        req.response().closeHandler(release);
        try {
            switch (op) {
                case "get" -> get(req, key, settings);
                case "put" -> put(req, key, settings);
                default -> delete(req, key, settings);
            }
        } catch (ApiError e) {
            metrics.request(op, e.status);
            throw e;
        }
    }

    private void get(HttpServerRequest req, String key, ClusterSettings settings) {
        MultiMap q = req.params();
        checkParams(q, READ_PARAMS);
        int n = effectiveN(settings);
        int r = quorumParam(q, "r", Math.min(settings.r(), n), settings.n());
        ReadRepair mode = q.contains("read_repair") ? readRepairParam(q.get("read_repair")) : settings.readRepair();
        ReadRequest read = new ReadRequest(key, r, Math.min(settings.w(), n), mode, boolParam(q, "sloppy", settings.sloppy()),
                timeoutParam(q, settings));
        coordinator.read(read).onComplete(ar -> {
            HttpServerResponse res = req.response();
            if (ar.failed()) {
                coordinationError(res, "get", ar.cause());
                return;
            }
            DvvSet<StoredValue> state = ar.result();
            List<StoredValue> visible = new ArrayList<>();
            for (StoredValue v : state.values()) {
                if (!v.isTombstone()) {
                    visible.add(v);
                }
            }
            if (!state.entries().isEmpty()) {
                res.putHeader(CONTEXT, contextOut(key, state.context()));
            }
            if (visible.isEmpty()) {
                metrics.request("get", 404);
                error(res, new ApiError(404, "not_found", state.entries().isEmpty() ? "no value for this key" : "the key was deleted"));
            } else if (visible.size() == 1) {
                metrics.request("get", 200);
                StoredValue v = visible.get(0);
                res.setStatusCode(200).putHeader(HttpHeaders.CONTENT_TYPE, v.contentType()).end(Buffer.buffer(v.bytes()));
            } else {
                metrics.request("get", 300);
                ObjectNode body = JSON.createObjectNode();
                ArrayNode siblings = body.putArray("siblings");
                for (StoredValue v : visible) {
                    ObjectNode s = siblings.addObject();
                    s.put("content_type", v.contentType());
                    s.put("value_base64", Base64.getEncoder().encodeToString(v.bytes()));
                    s.put("timestamp_ms", v.timestampMillis());
                }
                body.put("context", contextOut(key, state.context()));
                json(res, 300, body);
            }
        });
    }

    private void put(HttpServerRequest req, String key, ClusterSettings settings) {
        MultiMap q = req.params();
        checkParams(q, WRITE_PARAMS);
        int w = quorumParam(q, "w", Math.min(settings.w(), effectiveN(settings)), settings.n());
        boolean sloppy = boolParam(q, "sloppy", settings.sloppy());
        long timeout = timeoutParam(q, settings);
        String token = contextIn(req, key);
        VersionVector context = decodeContext(token);
        String type = req.getHeader(HttpHeaders.CONTENT_TYPE);
        String contentType = type == null || type.isBlank() ? DEFAULT_TYPE : type;
        if (contentType.length() > 255) {
            throw ApiError.badRequest("invalid_content_type", "Content-Type longer than 255 characters");
        }
        readBody(req, config.maxValueBytes()).onSuccess(body -> {
            StoredValue value = StoredValue.of(body.getBytes(), contentType, System.currentTimeMillis());
            respondToWrite(req, key, "put", coordinator.write(new WriteRequest(key, context, token, value, w, sloppy, timeout, false)));
        });
    }

    private void delete(HttpServerRequest req, String key, ClusterSettings settings) {
        MultiMap q = req.params();
        checkParams(q, WRITE_PARAMS);
        int w = quorumParam(q, "w", Math.min(settings.w(), effectiveN(settings)), settings.n());
        boolean sloppy = boolParam(q, "sloppy", settings.sloppy());
        long timeout = timeoutParam(q, settings);
        String token = contextIn(req, key);
        VersionVector context = decodeContext(token);
        StoredValue tombstone = StoredValue.tombstone(System.currentTimeMillis());
        respondToWrite(req, key, "delete", coordinator.write(new WriteRequest(key, context, token, tombstone, w, sloppy, timeout, false)));
    }

    private void respondToWrite(HttpServerRequest req, String key, String op, Future<VersionVector> write) {
        write.onComplete(ar -> {
            if (ar.succeeded()) {
                metrics.request(op, 204);
                if (ar.result() != null) {
                    // Exactly what the client had seen plus its own write: it may write again without reading.
                    req.response().putHeader(CONTEXT, contextOut(key, ar.result()));
                }
                req.response().setStatusCode(204).end();
            } else {
                coordinationError(req.response(), op, ar.cause());
            }
        });
    }

    /**
     * Reads the whole body, refusing with 413 past {@code limit} bytes. A refused body is still read
     * and discarded, up to {@link #DRAIN_LIMIT}, so that a client which sends its body before reading
     * the answer gets the 413 instead of a reset connection; past that the connection is closed. A
     * client that asks with {@code Expect: 100-continue} is told before it sends anything.
     */
    static Future<Buffer> readBody(HttpServerRequest req, int limit) {
        String declared = req.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (declared != null) {
            long length;
            try {
                length = Long.parseLong(declared.trim());
            } catch (NumberFormatException e) {
                throw ApiError.badRequest("invalid_header", "Content-Length is not a number");
            }
            if (length > limit) {
                tooLarge(req, limit, length > DRAIN_LIMIT || expectsContinue(req));
                return Future.failedFuture("too large");
            }
        }
        if (expectsContinue(req)) {
            req.response().writeContinue();
        }
        io.vertx.core.Promise<Buffer> promise = io.vertx.core.Promise.promise();
        Buffer body = Buffer.buffer();
        req.handler(chunk -> {
            if (promise.future().isComplete()) {
                return;
            }
            if (body.length() + chunk.length() > limit) {
                promise.tryFail("too large");
                tooLarge(req, limit, false);
                return;
            }
            body.appendBuffer(chunk);
        });
        req.endHandler(v -> promise.tryComplete(body));
        req.exceptionHandler(e -> promise.tryFail(e));
        return promise.future();
    }

    private static boolean expectsContinue(HttpServerRequest req) {
        String expect = req.getHeader(HttpHeaders.EXPECT);
        return expect != null && expect.equalsIgnoreCase("100-continue");
    }

    private static void tooLarge(HttpServerRequest req, int limit, boolean close) {
        if (close) {
            req.response().putHeader(HttpHeaders.CONNECTION, "close");
        }
        error(req.response(), new ApiError(413, "value_too_large", "the body exceeds the limit of " + limit + " bytes"));
        if (close) {
            req.connection().close();
            return;
        }
        long[] drained = {0};
        req.handler(chunk -> {
            drained[0] += chunk.length();
            if (drained[0] > DRAIN_LIMIT) {
                req.connection().close();
            }
        });
        req.endHandler(v -> { });
    }

    /**
     * The request's context as the codec reads it: with sealed contexts, only one whose MAC a key of
     * this cluster made (a client cannot invent actors or raise counters), unwrapped.
     */
    private String contextIn(HttpServerRequest req, String key) {
        String token = req.getHeader(CONTEXT);
        token = token == null ? "" : token.trim();
        if (token.isEmpty() || contexts.isEmpty()) {
            return token;
        }
        return contexts.get().open(key, token).orElseThrow(() -> ApiError.badRequest("invalid_context",
                "X-Context is not a context this cluster issued: its MAC does not check"));
    }

    /** The context a client carries back for {@code key}: the codec's string, sealed when contexts are. */
    private String contextOut(String key, VersionVector context) {
        String encoded = CausalContextCodec.encode(context);
        return contexts.map(s -> s.seal(key, encoded)).orElse(encoded);
    }

    private static VersionVector decodeContext(String token) {
        if (token.isEmpty()) {
            return VersionVector.empty();
        }
        try {
            return CausalContextCodec.decode(token);
        } catch (MalformedContextException e) {
            throw ApiError.badRequest("invalid_context", "X-Context is not a context this cluster issued: " + e.getMessage());
        }
    }

    private static void checkParams(MultiMap q, Set<String> allowed) {
        for (String name : q.names()) {
            if (!allowed.contains(name)) {
                throw ApiError.badRequest("invalid_parameter", "unknown query parameter '" + name + "'; allowed: "
                        + String.join(", ", allowed.stream().sorted().toList()));
            }
            if (q.getAll(name).size() > 1) {
                throw ApiError.badRequest("invalid_parameter", "query parameter '" + name + "' given more than once");
            }
        }
    }

    /**
     * Replicas a key actually has: n, or fewer while the ring has fewer members, so that a node
     * started alone works with the default n=3. Default quorums are capped by it; quorums a request
     * asks for explicitly are not, and get 503 when they cannot be met.
     */
    private int effectiveN(ClusterSettings settings) {
        return cluster.ring() == null ? settings.n() : Math.min(settings.n(), cluster.ring().members().size());
    }

    private static int quorumParam(MultiMap q, String name, int fallback, int n) {
        String raw = q.get(name);
        if (raw == null) {
            return fallback;
        }
        int value;
        try {
            value = Integer.parseInt(raw.trim());
        } catch (NumberFormatException e) {
            throw ApiError.badRequest("invalid_quorum", name + " must be a whole number between 1 and n=" + n + ", got '" + raw + "'");
        }
        if (value < 1 || value > n) {
            throw ApiError.badRequest("invalid_quorum", name + " must be between 1 and n=" + n + ", got " + value);
        }
        return value;
    }

    private static boolean boolParam(MultiMap q, String name, boolean fallback) {
        String raw = q.get(name);
        if (raw == null) {
            return fallback;
        }
        return switch (raw.trim().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw ApiError.badRequest("invalid_parameter", name + " must be true or false, got '" + raw + "'");
        };
    }

    private static long timeoutParam(MultiMap q, ClusterSettings settings) {
        String raw = q.get("timeout_ms");
        if (raw == null) {
            return settings.timeoutMs();
        }
        try {
            long value = Long.parseLong(raw.trim());
            if (value >= 1 && value <= 600_000) {
                return value;
            }
        } catch (NumberFormatException ignored) {
            // Reported below with the same message as an out-of-range number.
        }
        throw ApiError.badRequest("invalid_parameter", "timeout_ms must be a whole number between 1 and 600000, got '" + raw + "'");
    }

    static ReadRepair readRepairParam(String raw) {
        return switch (raw.trim().toLowerCase(Locale.ROOT)) {
            case "async" -> ReadRepair.ASYNC;
            case "sync" -> ReadRepair.SYNC;
            default -> throw ApiError.badRequest("invalid_parameter", "read_repair must be sync or async, got '" + raw + "'");
        };
    }

    private static void only(HttpServerRequest req, HttpMethod method) {
        if (req.method() != method) {
            throw new ApiError(405, "method_not_allowed", req.method() + " is not supported on " + req.path() + "; use " + method);
        }
    }

    private void coordinationError(HttpServerResponse res, String op, Throwable cause) {
        ApiError error;
        if (cause instanceof CoordinationException c) {
            ObjectNode detail = JSON.createObjectNode().put("message", c.getMessage());
            if (c.needed() >= 0) {
                detail.put("replied", c.got()).put("needed", c.needed());
            }
            error = switch (c.kind()) {
                case UNAVAILABLE -> new ApiError(503, "unavailable", detail);
                case INSUFFICIENT_REPLICAS -> new ApiError(503, "insufficient_replicas", detail);
                case OVERLOADED -> {
                    res.putHeader("Retry-After", "1");
                    yield new ApiError(503, "overloaded", detail);
                }
                case NOT_READY -> new ApiError(503, "not_ready", detail);
                case INTERNAL -> new ApiError(500, "internal", detail);
            };
        } else {
            log.atError().setCause(cause).log("request failed unexpectedly");
            error = new ApiError(500, "internal", String.valueOf(cause.getMessage()));
        }
        metrics.request(op, error.status);
        error(res, error);
    }

    static void error(HttpServerResponse res, ApiError e) {
        ObjectNode body = JSON.createObjectNode().put("error", e.error);
        body.set("detail", JSON.valueToTree(e.detail));
        json(res, e.status, body);
    }

    static void json(HttpServerResponse res, int status, Object body) {
        if (res.ended()) {
            return;
        }
        try {
            res.setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                    .end(Buffer.buffer(JSON.writeValueAsBytes(body)));
        } catch (IOException e) {
            throw new IllegalStateException("response not serialisable", e);
        }
    }
}
