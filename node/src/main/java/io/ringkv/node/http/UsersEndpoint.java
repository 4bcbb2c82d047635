package io.ringkv.node.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ringkv.node.membership.ClusterState;
import io.ringkv.node.security.PasswordHash;
import io.ringkv.node.security.Role;
import io.ringkv.node.security.User;
import io.ringkv.node.security.Users;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;

import java.io.IOException;
import java.security.SecureRandom;
import java.util.EnumSet;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * The cluster's users, managed by an admin: {@code GET /cluster/users}, {@code PUT} and {@code DELETE
 * /cluster/users/{name}}. A change makes a new version of the users, which gossip spreads to every
 * node. Password hashes are made on a worker thread and never leave a node through this endpoint.
 */
public final class UsersEndpoint {

    /** Shorter passwords are refused: an online guess costs little, and a gossiped hash may be taken. */
    static final int MIN_PASSWORD_CHARS = 12;

    private final Vertx vertx;
    private final ClusterState cluster;
    private final Runnable gossipNow;
    private final SecureRandom random;
    private final boolean secure;

    /** @param secure whether the node authenticates clients; users cannot be changed on an open node */
    public UsersEndpoint(Vertx vertx, ClusterState cluster, Runnable gossipNow, SecureRandom random, boolean secure) {
        this.secure = secure;
        this.vertx = vertx;
        this.cluster = cluster;
        this.gossipNow = gossipNow;
        this.random = random;
    }

    /** @param rest the path after {@code /cluster/users}: empty, or {@code /name} */
    void handle(HttpServerRequest req, String rest) {
        if (rest.isEmpty()) {
            if (req.method() != HttpMethod.GET) {
                throw new ApiError(405, "method_not_allowed", req.method() + " is not supported on /cluster/users; use GET");
            }
            HttpApi.json(req.response(), 200, list(cluster.users()));
            return;
        }
        if (!secure) {
            // Users made on an open node could be made by anyone, and would count once it turns secure.
            throw new ApiError(409, "insecure_node", "users are managed only on nodes started with --certs-dir");
        }
        String name = rest.substring(1);
        if (!User.validName(name)) {
            throw ApiError.badRequest("invalid_user", "a user name is 1 to 64 letters, digits, '.', '_' or '-'");
        }
        if (req.method() == HttpMethod.DELETE) {
            if (cluster.users().get(name).isEmpty()) {
                throw new ApiError(404, "no_such_user", "no user " + name);
            }
            change(u -> u.without(name));
            HttpApi.json(req.response(), 200, list(cluster.users()));
        } else if (req.method() == HttpMethod.PUT) {
            HttpApi.readBody(req, 16 * 1024).onSuccess(body -> put(req, name, body));
        } else {
            throw new ApiError(405, "method_not_allowed", req.method() + " is not supported on /cluster/users/{name}; "
                    + "use PUT or DELETE");
        }
    }

    private void put(HttpServerRequest req, String name, Buffer body) {
        String password;
        Set<Role> roles = EnumSet.noneOf(Role.class);
        String prefix;
        try {
            JsonNode json = HttpApi.JSON.readTree(body.getBytes());
            if (json == null || !json.isObject()) {
                throw ApiError.badRequest("invalid_body", "expected a JSON object with password and roles");
            }
            // Without a password, a user that exists keeps its own (roles or prefix change only).
            JsonNode pw = json.get("password");
            if (pw != null && !pw.isTextual()) {
                throw ApiError.badRequest("weak_password", "password is a string");
            }
            password = pw == null ? null : pw.asText();
            if (password == null && cluster.users().get(name).isEmpty()) {
                throw ApiError.badRequest("weak_password", "a new user needs a password");
            }
            if (password != null && password.length() < MIN_PASSWORD_CHARS) {
                throw ApiError.badRequest("weak_password", "a password has at least " + MIN_PASSWORD_CHARS + " characters");
            }
            if (!json.path("roles").isArray() || json.path("roles").isEmpty()) {
                throw ApiError.badRequest("invalid_roles", "roles is a non-empty list of read, write, admin");
            }
            for (JsonNode r : json.path("roles")) {
                roles.add(Role.parse(r.asText()));
            }
            // Without a prefix, a user that exists keeps its own: a change never widens a user by omission.
            JsonNode p = json.get("key_prefix");
            if (p != null && !p.isTextual()) {
                throw ApiError.badRequest("invalid_key_prefix", "key_prefix is a string");
            }
            prefix = p != null ? p.asText() : cluster.users().get(name).map(User::keyPrefix).orElse("");
        } catch (IOException e) {
            HttpApi.error(req.response(), ApiError.badRequest("invalid_body", "not JSON"));
            return;
        } catch (ApiError e) {
            HttpApi.error(req.response(), e);
            return;
        } catch (IllegalArgumentException e) {
            HttpApi.error(req.response(), ApiError.badRequest("invalid_roles", e.getMessage()));
            return;
        }
        Set<Role> granted = roles;
        if (password == null) {
            change(u -> u.with(new User(name, u.get(name).map(User::passwordHash).orElse(null), granted, prefix)));
            HttpApi.json(req.response(), 200, list(cluster.users()));
            return;
        }
        vertx.executeBlocking(() -> PasswordHash.hash(password, random), false).onComplete(ar -> {
            if (ar.failed()) {
                HttpApi.error(req.response(), new ApiError(500, "internal", "could not hash the password"));
                return;
            }
            change(u -> u.with(new User(name, ar.result(), granted, prefix)));
            HttpApi.json(req.response(), 200, list(cluster.users()));
        });
    }

    private void change(UnaryOperator<Users> change) {
        cluster.updateUsers(change);
        gossipNow.run();
    }

    /** Names, roles and prefixes; never a hash. */
    static ObjectNode list(Users users) {
        ObjectNode body = HttpApi.JSON.createObjectNode();
        ArrayNode list = body.putArray("users");
        users.users().values().forEach(u -> {
            ObjectNode o = list.addObject().put("name", u.name()).put("key_prefix", u.keyPrefix());
            ArrayNode roles = o.putArray("roles");
            u.roles().stream().sorted().forEach(r -> roles.add(r.wire()));
        });
        return body;
    }
}
