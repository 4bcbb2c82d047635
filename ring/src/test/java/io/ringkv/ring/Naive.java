package io.ringkv.ring;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Straightforward re-statements of the ring's definitions, to check the real code against. */
final class Naive {

  private Naive() {}

  /** Windows of {@code n} consecutive partitions (mod Q), one per start, repeating an owner. */
  static int violations(List<String> owners, int n) {
    int q = owners.size();
    int violating = 0;
    for (int start = 0; start < q; start++) {
      boolean repeats = false;
      for (int i = 0; i < n && !repeats; i++) {
        for (int j = i + 1; j < n && !repeats; j++) {
          repeats = owners.get((start + i) % q).equals(owners.get((start + j) % q));
        }
      }
      violating += repeats ? 1 : 0;
    }
    return violating;
  }

  static Map<String, Integer> counts(List<String> owners) {
    Map<String, Integer> counts = new TreeMap<>();
    owners.forEach(owner -> counts.merge(owner, 1, Integer::sum));
    return counts;
  }

  /** Whether every member owns floor(Q/M) or ceil(Q/M) partitions. */
  static boolean balanced(Ring ring) {
    int q = ring.partitionCount();
    int m = ring.members().size();
    return counts(ring.owners()).values().stream()
        .allMatch(c -> c == q / m || c == (q + m - 1) / m);
  }

  /** Partitions whose owner differs between the two rings. */
  static List<Integer> changed(Ring before, Ring after) {
    List<Integer> changed = new ArrayList<>();
    for (int p = 0; p < before.partitionCount(); p++) {
      if (!before.owner(p).equals(after.owner(p))) {
        changed.add(p);
      }
    }
    return changed;
  }

  /** Distinct owners in the order a clockwise walk from {@code partition} meets them. */
  static List<String> walk(Ring ring, int partition) {
    Set<String> order = new LinkedHashSet<>();
    for (int i = 0; i < ring.partitionCount(); i++) {
      order.add(ring.owner((partition + i) % ring.partitionCount()));
    }
    return List.copyOf(order);
  }

  static boolean achievable(int q, int m, int n) {
    return (long) ((q + m - 1) / m) * n <= q;
  }
}
