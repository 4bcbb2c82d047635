package io.ringkv.checker.dynamo;

import io.ringkv.checker.Verdict;
import io.ringkv.checker.history.History;
import io.ringkv.checker.history.JsonValues;
import io.ringkv.checker.history.Operation;
import io.ringkv.checker.history.Outcome;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Session guarantees for clients that carry their causal context, on a multi-value register
 * history (the operations of {@code MultiValueRegisterModel}): within one process and one key,
 * <ul>
 *   <li><b>read-your-writes</b>: a read after the process's acknowledged write shows that value or
 *       one that supersedes it;</li>
 *   <li><b>monotonic reads</b>: a read shows every value of the process's previous read, or values
 *       that supersede them.</li>
 * </ul>
 * A value is superseded by a write whose context saw it, directly or through a chain of such
 * writes, and it may also vanish because a delete's context saw it (directly or through that
 * chain), if that delete was invoked before the read completed. The checker leans to silence: a
 * value missing for a reason like that is not reported.
 */
public final class SessionChecker {

    /**
     * Per key, the seen set and invocation time of every value written (FAIL writes excluded: they did
     * not happen). Per key, so that two keys that happen to be written the same value stay apart.
     */
    private final Map<String, Map<String, Write>> writes = new HashMap<>();
    /** Deletes per key. */
    private final Map<String, List<Write>> deletes = new HashMap<>();

    private record Write(Set<String> seen, long invokeTime) {
    }

    private SessionChecker() {
    }

    public static SessionResult check(History history) {
        return new SessionChecker().run(history);
    }

    private SessionResult run(History history) {
        for (Operation op : history.operations()) {
            if (op.outcome() == Outcome.FAIL) {
                continue;
            }
            if ("write".equals(op.f())) {
                Object value = JsonValues.field(op.input(), "value", "write value");
                writes.computeIfAbsent(op.key(), k -> new HashMap<>())
                        .put(String.valueOf(value), new Write(seen(op), op.invokeTime()));
            } else if ("delete".equals(op.f())) {
                deletes.computeIfAbsent(op.key(), k -> new ArrayList<>()).add(new Write(seen(op), op.invokeTime()));
            }
        }
        // What each (process, key) session must keep seeing, and why: value -> the operation that made it required.
        Map<String, Map<String, Operation>> required = new HashMap<>();
        Set<String> sessions = new HashSet<>();
        List<SessionResult.Violation> violations = new ArrayList<>();
        int reads = 0;
        for (Operation op : history.operations()) {
            if (op.outcome() != Outcome.OK) {
                continue;
            }
            String session = op.process() + "\u0000" + op.key();
            sessions.add(session);
            Map<String, Operation> mustSee = required.computeIfAbsent(session, s -> new HashMap<>());
            if ("write".equals(op.f())) {
                mustSee.put(String.valueOf(JsonValues.field(op.input(), "value", "write value")), op);
            } else if ("read".equals(op.f())) {
                // Only a read that had something to keep seeing tests a guarantee (a session's first
                // read, or the harness's final reads, test none).
                if (!mustSee.isEmpty()) {
                    reads++;
                }
                Set<String> values = new LinkedHashSet<>(readValues(op));
                for (Map.Entry<String, Operation> e : mustSee.entrySet()) {
                    if (!covered(e.getKey(), values, op)) {
                        boolean own = "write".equals(e.getValue().f());
                        violations.add(new SessionResult.Violation(own ? "read-your-writes" : "monotonic-reads",
                                op.process(), op.key(), e.getKey(), op, e.getValue()));
                    }
                }
                // Whatever this read covered, reads that cover it cover too: it is enough to remember it.
                mustSee.clear();
                values.forEach(v -> mustSee.put(v, op));
            }
        }
        Verdict verdict = !violations.isEmpty() ? Verdict.ILLEGAL : reads == 0 ? Verdict.UNKNOWN : Verdict.OK;
        return new SessionResult(verdict, sessions.size(), reads, List.copyOf(violations));
    }

    /** Whether a read that returned {@code values} may legitimately lack {@code value}, or has it. */
    private boolean covered(String value, Set<String> values, Operation read) {
        if (values.contains(value)) {
            return true;
        }
        Map<String, Write> written = writes.getOrDefault(read.key(), Map.of());
        for (String v : values) {
            if (supersedes(written, v, value)) {
                return true;
            }
        }
        for (Write delete : deletes.getOrDefault(read.key(), List.of())) {
            if (delete.invokeTime() < read.completeTime() && sawTransitively(written, delete.seen(), value)) {
                return true;
            }
        }
        return false;
    }

    private static boolean supersedes(Map<String, Write> written, String newer, String older) {
        Write w = written.get(newer);
        return w != null && sawTransitively(written, w.seen(), older);
    }

    /**
     * Whether a context that saw {@code seen} covered {@code value}, among the values {@code written}
     * to the same key. Only values written after
     * {@code value} was invoked can have seen it, which keeps the walk short.
     */
    private static boolean sawTransitively(Map<String, Write> written, Set<String> seen, String value) {
        Write target = written.get(value);
        long since = target == null ? Long.MIN_VALUE : target.invokeTime();
        Deque<String> todo = new ArrayDeque<>(seen);
        Set<String> visited = new HashSet<>(seen);
        while (!todo.isEmpty()) {
            String v = todo.pop();
            if (v.equals(value)) {
                return true;
            }
            Write w = written.get(v);
            if (w != null && w.invokeTime() > since) {
                for (String s : w.seen()) {
                    if (visited.add(s)) {
                        todo.push(s);
                    }
                }
            }
        }
        return false;
    }

    private static Set<String> seen(Operation op) {
        Object seen = JsonValues.field(op.input(), "seen", "context");
        return seen == null ? Set.of() : Set.copyOf(JsonValues.asStringList(seen, "seen"));
    }

    private static List<String> readValues(Operation op) {
        Object out = op.output();
        Object values = out instanceof List<?> ? out : out == null ? null : JsonValues.field(out, "values", "read result");
        return values == null ? List.of() : JsonValues.asStringList(values, "read result values");
    }
}
