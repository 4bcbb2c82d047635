package io.ringkv.checker.history;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The product's history format: JSON Lines, one {@link Event} per line, Jepsen's vocabulary.
 *
 * <pre>
 * {"type":"invoke","process":3,"f":"write","key":"k1","value":{"value":"3-17","seen":["1-4"]},"time":123456789}
 * {"type":"ok","process":3,"f":"write","key":"k1","value":null,"time":123999999}
 * {"type":"nemesis","f":"start","fault":"kill n2","time":130000000}
 * </pre>
 *
 * <p>Required: {@code type}, {@code time} (integer) and {@code f}; {@code process} (integer) for
 * client events. Optional: {@code key} (string), {@code value} (any JSON), {@code fault} (nemesis).
 * Other fields are ignored, so harnesses may add their own ({@code node}, {@code latency_ms}).
 * Blank lines are skipped.
 */
public final class JsonlHistory {

    private JsonlHistory() {
    }

    /** Reads a file; errors name the line. */
    public static History read(Path path) throws IOException {
        try (BufferedReader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            return read(reader);
        }
    }

    /** Reads JSON Lines from a reader; errors name the line. */
    public static History read(Reader in) throws IOException {
        BufferedReader reader = in instanceof BufferedReader ? (BufferedReader) in : new BufferedReader(in);
        List<Event> events = new ArrayList<>();
        int[] lines = new int[64];
        int lineNo = 0;
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
            lineNo++;
            if (line.isBlank()) {
                continue;
            }
            if (events.size() == lines.length) {
                lines = Arrays.copyOf(lines, lines.length * 2);
            }
            lines[events.size()] = lineNo;
            events.add(parse(line, lineNo));
        }
        return History.of(events, lines);
    }

    /** Parses one line. */
    public static Event parse(String line, int lineNo) throws HistoryFormatException {
        JsonNode node;
        try {
            node = JsonValues.MAPPER.readTree(line);
        } catch (JsonProcessingException e) {
            throw new HistoryFormatException(lineNo, "not JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw new HistoryFormatException(lineNo, "expected a JSON object");
        }
        String typeName = text(node, "type", lineNo, true);
        EventType type = EventType.fromJsonName(typeName);
        if (type == null) {
            throw new HistoryFormatException(lineNo, "unknown type \"" + typeName
                    + "\" (expected invoke, ok, fail, info or nemesis)");
        }
        long time = integer(node, "time", lineNo);
        String f = text(node, "f", lineNo, true);
        if (type == EventType.NEMESIS) {
            return new Event(type, -1, f, null, JsonValues.fromJson(node.get("fault")), time);
        }
        int process = Math.toIntExact(integer(node, "process", lineNo));
        return new Event(type, process, f, text(node, "key", lineNo, false), JsonValues.fromJson(node.get("value")),
                time);
    }

    /** The JSON line of an event, without the line break. */
    public static String format(Event e) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("type", e.type().jsonName());
        if (e.type() == EventType.NEMESIS) {
            fields.put("f", e.f());
            fields.put("fault", e.value());
        } else {
            fields.put("process", e.process());
            fields.put("f", e.f());
            if (e.key() != null) {
                fields.put("key", e.key());
            }
            fields.put("value", e.value());
        }
        fields.put("time", e.time());
        return JsonValues.toJson(fields);
    }

    private static String text(JsonNode node, String field, int lineNo, boolean required)
            throws HistoryFormatException {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                throw new HistoryFormatException(lineNo, "missing \"" + field + "\"");
            }
            return null;
        }
        if (!v.isTextual()) {
            throw new HistoryFormatException(lineNo, "\"" + field + "\" must be a string, got " + v);
        }
        return v.textValue();
    }

    private static long integer(JsonNode node, String field, int lineNo) throws HistoryFormatException {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            throw new HistoryFormatException(lineNo, "missing \"" + field + "\"");
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw new HistoryFormatException(lineNo, "\"" + field + "\" must be an integer, got " + v);
        }
        return v.longValue();
    }
}
