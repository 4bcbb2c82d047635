package io.ringkv.ring;

/**
 * Tabu search over owner swaps that drives target_n conflicts to zero while keeping as many
 * partitions as it can with their owner in a reference layout (the ring before the change).
 *
 * <p>The energy is the sum, over pairs of partitions with the same owner at cyclic distance
 * {@code d < n}, of {@code n - d}: the number of windows each such pair spoils. It is zero exactly
 * when no window violates target_n and, unlike the window count, it still falls when a repeat is
 * merely pushed further apart, which gives the search a gradient. A swap keeps every node's
 * count, so balance is never touched.
 *
 * <p>Each step makes the swap, among those moving a conflicting partition's owner at most a few
 * node-cycles away, with the least energy added plus partitions taken from their reference
 * owner, even when that is positive: plain descent stalls on plateaus. A partition may not take
 * back the owner it lost within the last {@value #TENURE} steps unless that beats the best energy
 * seen, which keeps the walk from cycling. Ties go to the lowest partitions: deterministic.
 */
final class SwapSearch {

  private static final int TENURE = 10;

  private final int[] owners;
  private final int[] reference;
  private final int n;
  private final int q;
  private final int reach; // how far from a conflicting partition a swap partner is sought
  private final int[] lost; // per partition: the owner it last gave up
  private final int[] lostUntil; // ...which it may not take back before this step

  /**
   * Searches {@code owners} (modified in place) of nodes {@code 0..m-1}; movement is counted
   * against {@code reference}, in which {@link Repair#VACANT} matches no owner.
   */
  SwapSearch(int[] owners, int[] reference, int m, int n) {
    this.owners = owners;
    this.reference = reference;
    this.n = n;
    this.q = owners.length;
    // A balanced ring has every node within a few cycles of m partitions: far enough to find
    // any owner to swap with, near enough to keep a step linear in the conflicts.
    this.reach = Math.min(q / 2, 3 * Math.max(m, n));
    this.lost = new int[q];
    this.lostUntil = new int[q];
  }

  /**
   * Makes at most {@code steps} swaps and leaves {@code owners} at the best layout seen (lowest
   * energy, then fewest partitions away from the reference), tidied if conflict-free. Returns
   * that layout's energy.
   */
  int run(int steps) {
    int energy = energy();
    int[] best = owners.clone();
    int bestEnergy = energy;
    int bestMoved = moved();
    int[] own = new int[q]; // per partition: its owner's energy there, this step
    for (int step = 1; step <= steps && bestEnergy > 0; step++) {
      int pickI = -1;
      int pickJ = -1;
      int pickDelta = 0;
      int pickCost = Integer.MAX_VALUE;
      for (int p = 0; p < q; p++) {
        own[p] = conflict(p, owners[p], -1);
      }
      for (int i = 0; i < q; i++) {
        if (own[i] == 0) {
          continue;
        }
        int a = owners[i];
        for (int offset = -reach; offset <= reach; offset++) {
          int j = Math.floorMod(i + offset, q);
          int b = owners[j];
          if (a == b || (offset > 0 && 2 * offset >= q)) {
            continue; // same owner, or a partner already seen from the other side
          }
          int homes = home(i, a) + home(j, b) - home(i, b) - home(j, a);
          int partial = conflict(i, b, j) - own[i] - own[j] + homes;
          if (partial >= pickCost) {
            continue; // the remaining term, a's energy at j, is never negative
          }
          int delta = partial - homes + conflict(j, a, i);
          boolean tabu =
              (lost[i] == b && lostUntil[i] > step) || (lost[j] == a && lostUntil[j] > step);
          if (tabu && energy + delta >= bestEnergy) {
            continue;
          }
          if (delta + homes < pickCost) {
            pickCost = delta + homes;
            pickDelta = delta;
            pickI = i;
            pickJ = j;
          }
        }
      }
      if (pickI < 0) {
        break;
      }
      lost[pickI] = owners[pickI];
      lost[pickJ] = owners[pickJ];
      lostUntil[pickI] = step + TENURE;
      lostUntil[pickJ] = step + TENURE;
      owners[pickI] = lost[pickJ];
      owners[pickJ] = lost[pickI];
      energy += pickDelta;
      int moved = moved();
      if (energy < bestEnergy || (energy == bestEnergy && moved < bestMoved)) {
        bestEnergy = energy;
        bestMoved = moved;
        System.arraycopy(owners, 0, best, 0, q);
      }
    }
    System.arraycopy(best, 0, owners, 0, q);
    if (bestEnergy == 0) {
      tidy();
    }
    return bestEnergy;
  }

  /** Swaps partitions back to their reference owners wherever that stays conflict-free. */
  private void tidy() {
    boolean improved = true;
    while (improved) {
      improved = false;
      for (int i = 0; i < q; i++) {
        for (int j = 0; j < q && owners[i] != reference[i]; j++) {
          int a = owners[i];
          int b = owners[j];
          if (a != b && home(i, b) + home(j, a) > home(i, a) + home(j, b)
              && conflict(i, b, j) == 0 && conflict(j, a, i) == 0) {
            owners[i] = b;
            owners[j] = a;
            improved = true;
          }
        }
      }
    }
  }

  private int energy() {
    int total = 0;
    for (int i = 0; i < q; i++) {
      total += conflict(i, owners[i], -1);
    }
    return total / 2;
  }

  private int moved() {
    int moved = 0;
    for (int i = 0; i < q; i++) {
      if (owners[i] != reference[i]) {
        moved++;
      }
    }
    return moved;
  }

  private int home(int p, int node) {
    return reference[p] == node ? 1 : 0;
  }

  /** The energy {@code node} would have at {@code p}, ignoring partition {@code skip}. */
  private int conflict(int p, int node, int skip) {
    int total = 0;
    for (int d = 1; d < n && 2 * d <= q; d++) {
      int left = Math.floorMod(p - d, q);
      int right = (p + d) % q;
      if (owners[left] == node && left != skip) {
        total += n - d;
      }
      if (owners[right] == node && right != skip && right != left) {
        total += n - d;
      }
    }
    return total;
  }
}
