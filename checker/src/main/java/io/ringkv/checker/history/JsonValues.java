package io.ringkv.checker.history;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Canonical JSON values, the values histories carry: null, {@link Boolean}, {@link Long} (every
 * integral number), {@link Double}, {@link String}, an unmodifiable {@link List}, or an unmodifiable
 * {@link Map} with string keys. One canonical form per JSON value keeps equality meaningful:
 * {@code 3} read from a file equals {@code 3} written by a client as an {@code int}.
 */
public final class JsonValues {

    static final ObjectMapper MAPPER = new ObjectMapper();

    private JsonValues() {
    }

    /**
     * Converts a value built in code to its canonical form.
     *
     * @throws IllegalArgumentException for a value that has no JSON form
     */
    public static Object canonical(Object value) {
        if (value == null || value instanceof String || value instanceof Boolean
                || value instanceof Long || value instanceof Double) {
            return value;
        }
        if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof Float) {
            return ((Float) value).doubleValue();
        }
        if (value instanceof JsonNode) {
            return fromJson((JsonNode) value);
        }
        if (value instanceof Collection<?>) {
            List<Object> list = new ArrayList<>(((Collection<?>) value).size());
            for (Object o : (Collection<?>) value) {
                list.add(canonical(o));
            }
            return Collections.unmodifiableList(list);
        }
        if (value instanceof Map<?, ?>) {
            Map<String, Object> map = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
                map.put(String.valueOf(e.getKey()), canonical(e.getValue()));
            }
            return Collections.unmodifiableMap(map);
        }
        throw new IllegalArgumentException("not a JSON value: " + value.getClass().getName());
    }

    /** Converts a parsed JSON tree to its canonical form. */
    public static Object fromJson(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        if (node.isTextual()) {
            return node.textValue();
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isIntegralNumber()) {
            return node.longValue();
        }
        if (node.isNumber()) {
            return node.doubleValue();
        }
        if (node.isArray()) {
            List<Object> list = new ArrayList<>(node.size());
            node.forEach(n -> list.add(fromJson(n)));
            return Collections.unmodifiableList(list);
        }
        Map<String, Object> map = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            map.put(e.getKey(), fromJson(e.getValue()));
        }
        return Collections.unmodifiableMap(map);
    }

    /** The compact JSON text of a canonical value, for messages and descriptions. */
    public static String toJson(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a JSON value: " + value, e);
        }
    }

    /**
     * The list of strings a value holds.
     *
     * @throws IllegalArgumentException if the value is not a list of strings
     */
    public static List<String> asStringList(Object value, String what) {
        if (!(value instanceof List<?>)) {
            throw new IllegalArgumentException(what + " must be a list of strings, got " + toJson(value));
        }
        List<String> strings = new ArrayList<>();
        for (Object o : (List<?>) value) {
            if (!(o instanceof String)) {
                throw new IllegalArgumentException(what + " must be a list of strings, got " + toJson(value));
            }
            strings.add((String) o);
        }
        return strings;
    }

    /**
     * The field of a JSON object value.
     *
     * @throws IllegalArgumentException if the value is not an object
     */
    public static Object field(Object value, String field, String what) {
        if (!(value instanceof Map<?, ?>)) {
            throw new IllegalArgumentException(what + " must be a JSON object, got " + toJson(value));
        }
        return ((Map<?, ?>) value).get(field);
    }
}
