package io.ringkv.node.security;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Causal contexts that only the cluster can make: each context a node hands a client carries an
 * HMAC-SHA256 (truncated to 128 bits) under a cluster key, over the key's id, the data key the context
 * belongs to and the context, and a node accepts back only contexts whose MAC checks for the data key
 * of the request. A client can then neither invent actor ids nor push counters up, not even by taking
 * a context of another key whose counters it drove high: it can only send back, for a key, what some
 * node gave it for that key.
 *
 * <p>The keys are in {@code context.keys} in every node's certs directory, one {@code id:base64}
 * per line, the same file on every node. The first key signs; every key verifies, so a key can be
 * rotated without breaking contexts in flight: put a new key first on every node, and remove the old
 * one once no client holds a context it signed. Sealed form: {@code <context>.<key id>.<mac>}, URL-safe
 * base64 throughout, so it still fits a header.
 */
public final class ContextSeal {

    public static final String KEYS_FILE = "context.keys";
    static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9_-]{1,16}");
    private static final int MAC_BYTES = 16;
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();

    private final String signingId;
    private final Map<String, SecretKeySpec> keys;

    private ContextSeal(String signingId, Map<String, SecretKeySpec> keys) {
        this.signingId = signingId;
        this.keys = keys;
    }

    /**
     * The keys in {@code dir}'s {@value #KEYS_FILE}.
     *
     * @throws IllegalArgumentException naming the problem when the file is missing or malformed
     */
    public static ContextSeal load(Path dir) {
        Path file = dir.resolve(KEYS_FILE);
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": copy the cluster's context.keys (made by "
                    + "kv certs create-ca) into every node's certs directory", e);
        }
        Map<String, SecretKeySpec> keys = new LinkedHashMap<>();
        for (String line : lines) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            String[] parts = l.split(":", 2);
            byte[] key;
            try {
                key = parts.length == 2 ? B64D.decode(parts[1]) : new byte[0];
            } catch (IllegalArgumentException e) {
                key = new byte[0];
            }
            if (parts.length != 2 || !KEY_ID.matcher(parts[0]).matches() || key.length < 32) {
                throw new IllegalArgumentException(file + ": every line is id:base64 of at least 32 bytes");
            }
            if (keys.put(parts[0], new SecretKeySpec(key, "HmacSHA256")) != null) {
                throw new IllegalArgumentException(file + ": key id " + parts[0] + " appears twice");
            }
        }
        if (keys.isEmpty()) {
            throw new IllegalArgumentException(file + " holds no key");
        }
        return new ContextSeal(keys.keySet().iterator().next(), Map.copyOf(keys));
    }

    /** A new key line ({@code id:base64}) of 32 bytes from {@code random}. */
    public static String newKeyLine(String id, SecureRandom random) {
        if (!KEY_ID.matcher(id).matches()) {
            throw new IllegalArgumentException("a key id is 1 to 16 letters, digits, '_' or '-'");
        }
        byte[] key = new byte[32];
        random.nextBytes(key);
        return id + ":" + B64.encodeToString(key);
    }

    /** {@code context} (as the codec encodes it) of data key {@code key}, with this cluster's MAC. */
    public String seal(String key, String context) {
        return context + "." + signingId + "." + B64.encodeToString(mac(keys.get(signingId), signingId, key, context));
    }

    /**
     * The context inside {@code sealed}, when a key of this cluster made its MAC for data key
     * {@code key}; empty otherwise.
     */
    public Optional<String> open(String key, String sealed) {
        int mac = sealed.lastIndexOf('.');
        int id = mac <= 0 ? -1 : sealed.lastIndexOf('.', mac - 1);
        if (id <= 0) {
            return Optional.empty();
        }
        String context = sealed.substring(0, id);
        String keyId = sealed.substring(id + 1, mac);
        SecretKeySpec secret = keys.get(keyId);
        if (secret == null) {
            return Optional.empty();
        }
        // Compared as the canonical text, so one context has exactly one valid sealed form.
        byte[] given = sealed.substring(mac + 1).getBytes(StandardCharsets.US_ASCII);
        byte[] expected = B64.encodeToString(mac(secret, keyId, key, context)).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(given, expected) ? Optional.of(context) : Optional.empty();
    }

    private static byte[] mac(SecretKeySpec secret, String keyId, String key, String context) {
        try {
            Mac m = Mac.getInstance("HmacSHA256");
            m.init(secret);
            m.update(keyId.getBytes(StandardCharsets.US_ASCII));
            m.update((byte) '.');
            byte[] dataKey = key.getBytes(StandardCharsets.UTF_8);
            m.update((dataKey.length + ":").getBytes(StandardCharsets.US_ASCII));
            m.update(dataKey);
            m.update((byte) '.');
            byte[] full = m.doFinal(context.getBytes(StandardCharsets.US_ASCII));
            byte[] truncated = new byte[MAC_BYTES];
            System.arraycopy(full, 0, truncated, 0, MAC_BYTES);
            return truncated;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no HMAC-SHA256", e);
        }
    }

    /** The key ids, signing key first. */
    public List<String> keyIds() {
        List<String> ids = new ArrayList<>(keys.keySet());
        ids.remove(signingId);
        ids.add(0, signingId);
        return ids;
    }
}
