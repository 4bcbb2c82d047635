package io.ringkv.checker.history;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the key-value histories published with Porcupine's test data (one Jepsen/Knossos EDN
 * operation map per line) into a {@link History} for {@code KvModel}:
 *
 * <pre>
 * {:process 6, :type :invoke, :f :append, :key "0", :value "x 6 0 y"}
 * </pre>
 *
 * <p>Functions are {@code get}, {@code put} and {@code append}; types {@code invoke}, {@code ok},
 * {@code fail} and {@code info}; a value is {@code nil} or a string. Times are line numbers. Unlike
 * Porcupine, which skips lines it does not recognise, a line that is not such a map is an error:
 * the published files have none, and a user's file with one is better refused than misread.
 */
public final class PorcupineKvLog {

    private static final Pattern OP = Pattern.compile(
            "\\{:process (\\d+), :type :(invoke|ok|fail|info), :f :(get|put|append), :key \"(.*?)\", :value (.*)\\}");

    private PorcupineKvLog() {
    }

    public static History read(Path path) throws IOException {
        try (BufferedReader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            return read(reader);
        }
    }

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
            Matcher m = OP.matcher(line.strip());
            if (!m.matches()) {
                throw new HistoryFormatException(lineNo,
                        "expected {:process N, :type :invoke|ok|fail|info, :f :get|put|append, :key \"K\", :value V}");
            }
            if (events.size() == lines.length) {
                lines = Arrays.copyOf(lines, lines.length * 2);
            }
            lines[events.size()] = lineNo;
            EventType type = EventType.fromJsonName(m.group(2));
            events.add(new Event(type, Integer.parseInt(m.group(1)), m.group(3), m.group(4), value(m.group(5)),
                    lineNo));
        }
        return History.of(events, lines);
    }

    private static String value(String edn) {
        if ("nil".equals(edn)) {
            return null;
        }
        if (edn.length() >= 2 && edn.startsWith("\"") && edn.endsWith("\"")) {
            return edn.substring(1, edn.length() - 1);
        }
        return edn;
    }
}
