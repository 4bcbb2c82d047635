package io.ringkv.ring;

import java.util.Arrays;

/**
 * The initial layout: nodes dealt out in rounds, {@code 0, 1, ..., m-1, 0, 1, ...}, with a few
 * nodes left out of some rounds so that the rounds add up to exactly {@code q} partitions.
 *
 * <p>With {@code c = ceil(q/m)} rounds, {@code d = c*m - q} nodes sit out one round each, so every
 * node owns {@code c} or {@code c - 1} partitions. Leaving a node out of a round pulls together
 * the occurrences of the nodes around it, so where the gaps go decides target_n. Node {@code x}'s
 * occurrences in rounds {@code j} and {@code j+1} are {@code m - |D_j above x| - |D_{j+1} below x|}
 * apart, where {@code D_j} is the set sitting out round {@code j}. The gaps are therefore put in a
 * descending staircase: round 0 leaves out the highest ids, round 1 the ones just below, and so on.
 * For adjacent rounds (including the last round wrapping to the first, where the staircase has
 * come back around) every {@code x} then sees at most {@code max(|D_j|, |D_{j+1}|)} gaps, which
 * the even spread keeps at {@code ceil(d/c)}. Since {@code ceil(d/c) <= m - n} is exactly
 * {@link TargetN#achievable}, the layout meets target_n whenever any balanced layout can.
 */
final class Stripe {

  private Stripe() {}

  /** A balanced layout of {@code q} partitions over nodes {@code 0..m-1}, {@code 1 <= m <= q}. */
  static int[] layout(int q, int m) {
    int rounds = TargetN.ceilDiv(q, m);
    return build(q, m, evenCuts(rounds, rounds * m - q));
  }

  /**
   * The layout with the fewest violating windows among a family of staircases: the even one
   * (zero violations whenever target_n is achievable) and, for when it is not, ones that give
   * every round {@code m - n} gaps (harmless) and pack the surplus into {@code k} rounds. Few
   * badly short rounds spoil fewer windows than many slightly short ones.
   */
  static int[] layout(int q, int m, int n) {
    int[] best = layout(q, m);
    int rounds = TargetN.ceilDiv(q, m);
    int gaps = rounds * m - q;
    int free = Math.max(0, m - n);
    if (TargetN.achievable(q, m, n) || m < n) {
      return best; // zero violations, or every window violates whatever the layout
    }
    int bestViolations = TargetN.violations(best, m, n);
    int surplus = gaps - free * rounds;
    for (int k = 1; k < rounds; k++) {
      if (TargetN.ceilDiv(surplus, k) + free > m - 1) {
        continue; // a round must keep at least one node
      }
      int[] cuts = new int[rounds + 1];
      for (int j = 0; j < rounds; j++) {
        // Rounds j with floor(j*k/rounds) stepping up carry the surplus, spread evenly.
        int carriers = (int) ((long) (j + 1) * k / rounds) - (int) ((long) j * k / rounds);
        int carried = carriers == 0 ? 0 : share(surplus, k, (int) ((long) j * k / rounds));
        cuts[j + 1] = cuts[j] + free + carried;
      }
      int[] candidate = build(q, m, cuts);
      int violations = TargetN.violations(candidate, m, n);
      if (violations < bestViolations) {
        best = candidate;
        bestViolations = violations;
      }
    }
    return best;
  }

  /** The {@code i}-th of {@code parts} near-equal parts of {@code total}. */
  private static int share(int total, int parts, int i) {
    return (int) ((long) (i + 1) * total / parts) - (int) ((long) i * total / parts);
  }

  private static int[] evenCuts(int rounds, int gaps) {
    int[] cuts = new int[rounds + 1];
    for (int j = 0; j <= rounds; j++) {
      cuts[j] = (int) ((long) j * gaps / rounds);
    }
    return cuts;
  }

  /** Round {@code j} leaves out ids {@code [m - cuts[j+1], m - cuts[j])}: a step down. */
  private static int[] build(int q, int m, int[] cuts) {
    int[] owners = new int[q];
    int p = 0;
    for (int j = 0; j + 1 < cuts.length; j++) {
      for (int x = 0; x < m; x++) {
        if (x < m - cuts[j + 1] || x >= m - cuts[j]) {
          owners[p++] = x;
        }
      }
    }
    return owners;
  }

  /**
   * The even layout of {@link #layout(int, int)}, rotated and with its ids renamed so that many
   * partitions keep their owner in {@code current} (a rotation within two node-cycles and a
   * greedy renaming by overlap; renaming and rotating keep balance and target_n). Partitions
   * that are {@link Repair#VACANT} in {@code current} match nothing.
   */
  static int[] aligned(int[] current, int m) {
    int q = current.length;
    int[] base = layout(q, m);
    int[] best = null;
    int bestKept = -1;
    long[] pairs = new long[q];
    long[] runs = new long[q];
    for (int shift = 0; shift < Math.min(q, 2 * m); shift++) {
      int size = 0;
      for (int p = 0; p < q; p++) {
        if (current[p] != Repair.VACANT) {
          pairs[size++] = (long) base[(p + shift) % q] * m + current[p]; // role, node
        }
      }
      Arrays.sort(pairs, 0, size);
      // One run per (role, node) pair, keyed so that larger overlaps sort first.
      int count = 0;
      for (int i = 0; i < size; i++) {
        if (i == 0 || pairs[i] != pairs[i - 1]) {
          runs[count++] = pairs[i];
        } else {
          runs[count - 1] -= 1L << 32;
        }
      }
      Arrays.sort(runs, 0, count);
      int[] nodeOf = new int[m];
      Arrays.fill(nodeOf, -1);
      boolean[] taken = new boolean[m];
      int kept = 0;
      for (int i = 0; i < count; i++) {
        int pair = (int) (runs[i] & 0xFFFFFFFFL);
        int role = pair / m;
        int node = pair % m;
        if (nodeOf[role] < 0 && !taken[node]) {
          nodeOf[role] = node;
          taken[node] = true;
          kept += 1 - (int) (runs[i] >> 32);
        }
      }
      for (int role = 0, node = 0; role < m; role++) {
        while (nodeOf[role] < 0) {
          if (!taken[node]) {
            nodeOf[role] = node;
            taken[node] = true;
          }
          node++;
        }
      }
      if (kept > bestKept) {
        bestKept = kept;
        best = new int[q];
        for (int p = 0; p < q; p++) {
          best[p] = nodeOf[base[(p + shift) % q]];
        }
      }
    }
    return best;
  }
}
