package io.ringkv.checker.dynamo;

import io.ringkv.checker.Verdict;
import io.ringkv.checker.history.History;
import io.ringkv.checker.history.Operation;
import io.ringkv.checker.history.Outcome;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Lost writes in a set workload (Jepsen's set checker): clients add unique elements to a few keys
 * (read, merge, write back), and after the run and a quiet period a final read of each key must
 * contain every element whose add was acknowledged.
 *
 * <p>History operations: {@code add} (key, value: the element) and {@code final-read} (key, ok
 * value: the list of elements). For each key, an element is
 * <ul>
 *   <li><b>lost</b> if its add was acknowledged (OK) and a final read lacks it;</li>
 *   <li><b>unexpected</b> if a final read has it but no add of it can have taken effect (never
 *       attempted, or attempted and FAILed, which promises it did not happen);</li>
 *   <li><b>recovered</b> if a final read has it and its add's outcome was unknown (INFO).</li>
 * </ul>
 * The verdict is ILLEGAL with any lost or unexpected element, else UNKNOWN if a key with adds has
 * no completed final read, else OK.
 */
public final class LostWritesChecker {

    private LostWritesChecker() {
    }

    public static LostWritesResult check(History history) {
        Map<String, Map<Object, Outcome>> adds = new LinkedHashMap<>();
        Map<String, List<List<?>>> finalReads = new LinkedHashMap<>();
        for (Operation op : history.operations()) {
            if ("add".equals(op.f())) {
                // An element added twice counts with its strongest outcome: OK over INFO over FAIL.
                adds.computeIfAbsent(op.key(), k -> new LinkedHashMap<>())
                        .merge(op.input(), op.outcome(), LostWritesChecker::stronger);
            } else if ("final-read".equals(op.f()) && op.outcome() == Outcome.OK) {
                if (!(op.output() instanceof List<?>)) {
                    throw new IllegalArgumentException(op.where() + ": final-read value must be a list of elements");
                }
                finalReads.computeIfAbsent(op.key(), k -> new ArrayList<>()).add((List<?>) op.output());
            }
        }
        Set<String> keys = new LinkedHashSet<>(adds.keySet());
        keys.addAll(finalReads.keySet());
        List<LostWritesResult.KeyResult> results = new ArrayList<>();
        for (String key : keys) {
            results.add(checkKey(key, adds.getOrDefault(key, Map.of()), finalReads.getOrDefault(key, List.of())));
        }
        return LostWritesResult.of(results);
    }

    private static LostWritesResult.KeyResult checkKey(String key, Map<Object, Outcome> adds, List<List<?>> reads) {
        long acknowledged = adds.values().stream().filter(o -> o == Outcome.OK).count();
        if (reads.isEmpty()) {
            return new LostWritesResult.KeyResult(key, Verdict.UNKNOWN, adds.size(), (int) acknowledged,
                    List.of(), List.of(), List.of());
        }
        Set<Object> lost = new LinkedHashSet<>();
        Set<Object> unexpected = new LinkedHashSet<>();
        Set<Object> recovered = new LinkedHashSet<>();
        for (List<?> read : reads) {
            Set<Object> present = new LinkedHashSet<>(read);
            adds.forEach((element, outcome) -> {
                if (outcome == Outcome.OK && !present.contains(element)) {
                    lost.add(element);
                }
            });
            for (Object element : present) {
                Outcome outcome = adds.get(element);
                if (outcome == null || outcome == Outcome.FAIL) {
                    unexpected.add(element);
                } else if (outcome == Outcome.INFO) {
                    recovered.add(element);
                }
            }
        }
        Verdict verdict = lost.isEmpty() && unexpected.isEmpty() ? Verdict.OK : Verdict.ILLEGAL;
        return new LostWritesResult.KeyResult(key, verdict, adds.size(), (int) acknowledged, List.copyOf(lost),
                List.copyOf(unexpected), List.copyOf(recovered));
    }

    private static Outcome stronger(Outcome a, Outcome b) {
        return a == Outcome.OK || b == Outcome.OK ? Outcome.OK
                : a == Outcome.INFO || b == Outcome.INFO ? Outcome.INFO : Outcome.FAIL;
    }
}
