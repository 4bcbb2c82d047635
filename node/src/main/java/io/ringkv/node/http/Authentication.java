package io.ringkv.node.http;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.ringkv.node.membership.ClusterState;
import io.ringkv.node.security.PasswordHash;
import io.ringkv.node.security.Role;
import io.ringkv.node.security.User;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Who sends a request, and whether they may: HTTP Basic credentials checked against the cluster's
 * users (Argon2id hashes), then the role the request needs. {@code /health} is open to anyone, and
 * {@code /metrics} when the node is started so.
 *
 * <p>A password hash costs tens of milliseconds, so it is checked on a worker thread, at most
 * {@value #MAX_VERIFYING} at a time per event loop (more is a 503), and a verified password is
 * remembered for a few minutes under an HMAC (with a key of this process) of the user, its stored hash
 * and the password: a request that presents it again costs a lookup, not an Argon2 run, and a changed
 * password or removed user no longer matches at once. An unknown user costs the same Argon2 run as a
 * known one (against a hash of nothing), so timing does not tell which names exist; a client address
 * with more than {@value #MAX_FAILURES} failed checks in a minute is refused (429) until the minute is
 * over, so it cannot keep the workers busy guessing.
 */
public final class Authentication {

    static final int MAX_VERIFYING = 4;
    static final int MAX_FAILURES = 20;
    private static final Duration REMEMBER = Duration.ofMinutes(5);
    /** What an unknown user's password is checked against: the same cost, never a match. */
    private static final String NOBODY = PasswordHash.hash(UUID.randomUUID().toString(), new SecureRandom());

    /** A request that may proceed, and who sent it. */
    record Allowed(User user) {
    }

    private final Vertx vertx;
    private final ClusterState cluster;
    private final boolean openMetrics;
    private final Cache<String, Boolean> verified = Caffeine.newBuilder().maximumSize(10_000)
            .expireAfterWrite(REMEMBER).build();
    private final AtomicInteger verifying = new AtomicInteger();
    private final Cache<String, AtomicInteger> failures = Caffeine.newBuilder().maximumSize(100_000)
            .expireAfterWrite(Duration.ofMinutes(1)).build();
    private final Mac cacheKey;

    public Authentication(Vertx vertx, ClusterState cluster, boolean openMetrics) {
        this.vertx = vertx;
        this.cluster = cluster;
        this.openMetrics = openMetrics;
        try {
            byte[] key = new byte[32];
            new SecureRandom().nextBytes(key);
            cacheKey = Mac.getInstance("HmacSHA256");
            cacheKey.init(new SecretKeySpec(key, "HmacSHA256"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no HMAC-SHA256", e);
        }
    }

    /** Whether {@code path} is served without credentials. */
    boolean open(String path) {
        return path.equals("/health") || (openMetrics && path.equals("/metrics"));
    }

    /**
     * Authenticates and authorizes the request: at once when its credentials were verified lately,
     * else after a worker thread checked them.
     *
     * @param key the key a {@code /kv} request is about, null otherwise
     * @return fails with an {@link ApiError}: 401 without valid credentials, 403 without the role
     */
    Future<Allowed> check(HttpServerRequest req, String key) {
        Role role = required(req, key);
        Optional<String[]> credentials = basic(req.getHeader(HttpHeaders.AUTHORIZATION));
        if (credentials.isEmpty()) {
            return unauthenticated("no credentials: send HTTP Basic credentials of a user");
        }
        String name = credentials.get()[0];
        String password = credentials.get()[1];
        Optional<User> user = cluster.users().get(name);
        String hash = user.map(User::passwordHash).orElse(null);
        String rememberedAs = rememberedAs(name, hash == null ? NOBODY : hash, password);
        if (hash != null && verified.getIfPresent(rememberedAs) != null) {
            return authorize(user.get(), role, key);
        }
        String address = req.remoteAddress() == null ? "" : req.remoteAddress().hostAddress();
        AtomicInteger failed = failures.getIfPresent(address);
        if (failed != null && failed.get() >= MAX_FAILURES) {
            req.response().putHeader("Retry-After", "60");
            return Future.failedFuture(new ApiError(429, "too_many_failures", "too many failed authentications from "
                    + "this address; retry later"));
        }
        if (verifying.incrementAndGet() > MAX_VERIFYING) {
            verifying.decrementAndGet();
            req.response().putHeader("Retry-After", "1");
            return Future.failedFuture(new ApiError(503, "overloaded", "too many passwords being checked; retry later"));
        }
        return vertx.executeBlocking(() -> PasswordHash.verify(password, hash == null ? NOBODY : hash) && hash != null,
                        false)
                .eventually(() -> {
                    verifying.decrementAndGet();
                    return Future.succeededFuture();
                })
                .compose(ok -> {
                    if (!ok) {
                        failures.get(address, a -> new AtomicInteger()).incrementAndGet();
                        return unauthenticated("unknown user or wrong password");
                    }
                    verified.put(rememberedAs, Boolean.TRUE);
                    return authorize(user.get(), role, key);
                });
    }

    private static Future<Allowed> authorize(User user, Role role, String key) {
        if (!user.may(role, key)) {
            String scope = key != null && user.roles().contains(role) ? " for keys outside '" + user.keyPrefix() + "'" : "";
            return Future.failedFuture(new ApiError(403, "forbidden", "user " + user.name() + " lacks the "
                    + role.wire() + " role" + scope));
        }
        return Future.succeededFuture(new Allowed(user));
    }

    private static Future<Allowed> unauthenticated(String detail) {
        return Future.failedFuture(new ApiError(401, "unauthenticated", detail));
    }

    /** The role a request needs: read or write for keys, admin for everything else. */
    private static Role required(HttpServerRequest req, String key) {
        if (key == null) {
            return Role.ADMIN;
        }
        return req.method() == HttpMethod.GET || req.method() == HttpMethod.HEAD ? Role.READ : Role.WRITE;
    }

    /** User and password of a Basic authorization header. */
    private static Optional<String[]> basic(String header) {
        if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return Optional.empty();
        }
        try {
            String decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            return colon <= 0 ? Optional.empty()
                    : Optional.of(new String[] {decoded.substring(0, colon), decoded.substring(colon + 1)});
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** What a verified password is remembered as: keyed by this process's secret, useless outside it. */
    private String rememberedAs(String name, String storedHash, String password) {
        Mac mac;
        try {
            mac = (Mac) cacheKey.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("HMAC cannot be cloned", e);
        }
        mac.update(name.getBytes(StandardCharsets.UTF_8));
        mac.update((byte) 0);
        mac.update(storedHash.getBytes(StandardCharsets.UTF_8));
        mac.update((byte) 0);
        return HexFormat.of().formatHex(mac.doFinal(password.getBytes(StandardCharsets.UTF_8)));
    }
}
