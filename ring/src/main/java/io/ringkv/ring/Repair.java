package io.ringkv.ring;

import java.util.Arrays;

/**
 * Local fixes for layouts the exact claim steps could not finish: filling vacated partitions and
 * evening out counts ({@link #rebalance}), then swapping owners to remove target_n violations
 * ({@link #swap}). Both are deterministic greedy searches scored by the exact change in violating
 * windows, so the same input always gives the same ring on every node.
 */
final class Repair {

  /** Marks a partition that has no owner yet (a leaver's partition). */
  static final int VACANT = -1;

  private final int[] owners;
  private final int m;
  private final int n;
  private final int q;
  private final int[] seen; // per window start: stamp of the last scoring pass that counted it
  private int stamp;

  Repair(int[] owners, int m, int n) {
    this.owners = owners;
    this.m = m;
    this.n = n;
    this.q = owners.length;
    this.seen = new int[q];
  }

  /**
   * Fills every vacant partition, then moves partitions from nodes above their target to nodes
   * below it, until every node owns {@code floor(q/m)} or {@code ceil(q/m)}. The nodes owning
   * most keep the ceilings, so no more moves than necessary; each move is the single placement
   * adding the fewest violating windows. A balanced ring without vacancies is left untouched.
   */
  void rebalance() {
    int[] need = targets();
    for (int owner : owners) {
      if (owner != VACANT) {
        need[owner]--;
      }
    }
    while (true) {
      boolean vacancy = false;
      for (int owner : owners) {
        vacancy |= owner == VACANT;
      }
      int bestP = -1;
      int bestNode = -1;
      int bestDelta = Integer.MAX_VALUE;
      for (int p = 0; p < q; p++) {
        int from = owners[p];
        // Vacancies first; then only partitions of nodes holding more than their target.
        if (vacancy ? from != VACANT : from == VACANT || need[from] >= 0) {
          continue;
        }
        for (int y = 0; y < m; y++) {
          if (need[y] > 0) {
            int delta = deltaOfSet(p, y);
            if (delta < bestDelta) {
              bestDelta = delta;
              bestP = p;
              bestNode = y;
            }
          }
        }
      }
      if (bestP < 0) {
        return;
      }
      if (owners[bestP] != VACANT) {
        need[owners[bestP]]++;
      }
      owners[bestP] = bestNode;
      need[bestNode]--;
    }
  }

  /**
   * Swaps the owners of two partitions, the swap removing most violating windows first, for as
   * long as some swap removes any. Each removes at least one, so there are at most as many swaps
   * as violating windows at the start. Swaps keep every node's count, so balance survives.
   */
  void swap() {
    if (n > m) {
      return; // every window holds more partitions than there are nodes: nothing to gain
    }
    while (true) {
      int bestI = -1;
      int bestJ = -1;
      int bestDelta = 0;
      for (int i = 0; i < q; i++) {
        if (!TargetN.nearby(owners, i, owners[i], n)) {
          continue; // only a partition whose owner repeats nearby can be part of a fix
        }
        for (int j = 0; j < q; j++) {
          // Only moves taking the repeated owner where it does not repeat: a cheap filter.
          if (owners[j] != owners[i] && fitsAfterSwap(i, j)) {
            int delta = deltaOfSwap(i, j);
            if (delta < bestDelta) {
              bestDelta = delta;
              bestI = i;
              bestJ = j;
            }
          }
        }
      }
      if (bestI < 0) {
        return;
      }
      int a = owners[bestI];
      owners[bestI] = owners[bestJ];
      owners[bestJ] = a;
    }
  }

  /** Counts wanted per node: the {@code q mod m} nodes owning most now get the ceiling. */
  private int[] targets() {
    int[] count = new int[m];
    for (int owner : owners) {
      if (owner != VACANT) {
        count[owner]++;
      }
    }
    Integer[] byCount = new Integer[m];
    Arrays.setAll(byCount, i -> i);
    Arrays.sort(byCount, (x, y) -> count[x] != count[y] ? count[y] - count[x] : x - y);
    int[] target = new int[m];
    for (int rank = 0; rank < m; rank++) {
      target[byCount[rank]] = q / m + (rank < q % m ? 1 : 0);
    }
    return target;
  }

  /** Whether the owner of {@code from} would sit with no copy of itself near {@code to}. */
  private boolean fitsAfterSwap(int from, int to) {
    int node = owners[from];
    int reach = Math.min(n - 1, q - 1);
    for (int d = 1; d <= reach; d++) {
      int left = Math.floorMod(to - d, q);
      int right = (to + d) % q;
      if ((owners[left] == node && left != from) || (owners[right] == node && right != from)) {
        return false;
      }
    }
    return true;
  }

  private int deltaOfSet(int p, int node) {
    int before = violatingAround(p, p);
    int old = owners[p];
    owners[p] = node;
    int after = violatingAround(p, p);
    owners[p] = old;
    return after - before;
  }

  private int deltaOfSwap(int i, int j) {
    int before = violatingAround(i, j);
    int a = owners[i];
    owners[i] = owners[j];
    owners[j] = a;
    int after = violatingAround(i, j);
    owners[j] = owners[i];
    owners[i] = a;
    return after - before;
  }

  /** Violating windows among those covering {@code i} or {@code j}, each counted once. */
  private int violatingAround(int i, int j) {
    if (n <= 1) {
      return 0;
    }
    int span = Math.min(n, q);
    stamp++;
    int violating = 0;
    for (int k = 0; k < 2 * span; k++) {
      int start = Math.floorMod((k < span ? i : j) - k % span, q);
      if (seen[start] != stamp) {
        seen[start] = stamp;
        if (n > q || windowRepeats(start)) {
          violating++;
        }
      }
    }
    return violating;
  }

  private boolean windowRepeats(int start) {
    // VACANT is not an owner: a window with two vacancies does not repeat a node.
    for (int a = 0; a < n; a++) {
      int x = owners[(start + a) % q];
      if (x == VACANT) {
        continue;
      }
      for (int b = a + 1; b < n; b++) {
        if (owners[(start + b) % q] == x) {
          return true;
        }
      }
    }
    return false;
  }
}
