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
 * Reads the log of Jepsen's etcd test (a single compare-and-set register), as published with
 * Porcupine's test data, into a {@link History} for {@code RegisterModel}.
 *
 * <p>Rules are Porcupine's, so verdicts match its own: lines are {@code jepsen.util} log lines;
 * lines that match no pattern are ignored, and that includes {@code :info} timeouts, which leaves
 * their invocations open, i.e. unknown with an infinite completion time. A {@code :fail :cas} is a
 * completed CAS whose compare failed (an OK completion with value {@code false}), not an operation
 * that did not happen. A {@code :fail :read :timed-out} becomes a FAIL, which is equivalent to
 * Porcupine's unknown read since a read changes nothing. Times are line numbers.
 */
public final class JepsenEtcdLog {

    private static final String PREFIX = "^INFO\\s+jepsen\\.util\\s+-\\s+(\\d+)\\s+";
    private static final Pattern INVOKE_READ = Pattern.compile(PREFIX + ":invoke\\s+:read\\s+nil$");
    private static final Pattern INVOKE_WRITE = Pattern.compile(PREFIX + ":invoke\\s+:write\\s+(\\d+)$");
    private static final Pattern INVOKE_CAS = Pattern.compile(PREFIX + ":invoke\\s+:cas\\s+\\[(\\d+)\\s+(\\d+)\\]$");
    private static final Pattern OK_READ = Pattern.compile(PREFIX + ":ok\\s+:read\\s+(nil|\\d+)$");
    private static final Pattern OK_WRITE = Pattern.compile(PREFIX + ":ok\\s+:write\\s+(\\d+)$");
    private static final Pattern DONE_CAS = Pattern.compile(PREFIX + ":(ok|fail)\\s+:cas\\s+\\[(\\d+)\\s+(\\d+)\\]$");
    private static final Pattern TIMEOUT_READ = Pattern.compile(PREFIX + ":fail\\s+:read\\s+:timed-out$");

    private JepsenEtcdLog() {
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
            Event e = parse(line.strip(), lineNo);
            if (e != null) {
                if (events.size() == lines.length) {
                    lines = Arrays.copyOf(lines, lines.length * 2);
                }
                lines[events.size()] = lineNo;
                events.add(e);
            }
        }
        return History.of(events, lines);
    }

    /** The event of one line, or null for a line the format ignores. */
    static Event parse(String line, long time) {
        Matcher m;
        if ((m = INVOKE_READ.matcher(line)).matches()) {
            return Event.invoke(process(m), "read", null, null, time);
        }
        if ((m = INVOKE_WRITE.matcher(line)).matches()) {
            return Event.invoke(process(m), "write", null, Long.parseLong(m.group(2)), time);
        }
        if ((m = INVOKE_CAS.matcher(line)).matches()) {
            return Event.invoke(process(m), "cas", null,
                    List.of(Long.parseLong(m.group(2)), Long.parseLong(m.group(3))), time);
        }
        if ((m = OK_READ.matcher(line)).matches()) {
            Long value = "nil".equals(m.group(2)) ? null : Long.parseLong(m.group(2));
            return Event.ok(process(m), "read", null, value, time);
        }
        if ((m = OK_WRITE.matcher(line)).matches()) {
            return Event.ok(process(m), "write", null, Long.parseLong(m.group(2)), time);
        }
        if ((m = DONE_CAS.matcher(line)).matches()) {
            return Event.ok(process(m), "cas", null, "ok".equals(m.group(2)), time);
        }
        if ((m = TIMEOUT_READ.matcher(line)).matches()) {
            return Event.fail(process(m), "read", null, null, time);
        }
        return null;
    }

    private static int process(Matcher m) {
        return Integer.parseInt(m.group(1));
    }
}
