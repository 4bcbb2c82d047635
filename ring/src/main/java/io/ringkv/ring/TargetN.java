package io.ringkv.ring;

/**
 * The target_n property of an owner layout: every {@code n} cyclically consecutive partitions are
 * owned by {@code n} distinct nodes, so the first {@code n} partitions of a preference list already
 * land on distinct nodes. Layouts here are {@code int[]} of dense node ids {@code 0..m-1}.
 */
final class TargetN {

  private TargetN() {}

  /**
   * Whether a balanced layout (every node owning {@code floor(q/m)} or {@code ceil(q/m)}
   * partitions) can have no violating window.
   *
   * <p>Necessary: a node owning {@code k} partitions needs {@code k} gaps of at least {@code n}
   * around a cycle of {@code q}, so {@code k * n <= q}, and balance makes some node own
   * {@code ceil(q/m)}. Sufficient: {@link Stripe} builds such a layout whenever it holds. The
   * condition implies {@code m >= n} and {@code q >= n}.
   */
  static boolean achievable(int q, int m, int n) {
    if (n <= 1) {
      return true;
    }
    long most = ceilDiv(q, m);
    return most * n <= q;
  }

  /** Number of window starts {@code s} whose window {@code s..s+n-1} (mod q) repeats an owner. */
  static int violations(int[] owners, int m, int n) {
    int q = owners.length;
    if (n <= 1) {
      return 0;
    }
    if (n > q) {
      return q; // every window wraps onto itself and repeats a partition, hence its owner
    }
    int[] count = new int[m];
    int repeats = 0; // sum over nodes of (occurrences in the window - 1), where positive
    for (int i = 0; i < n; i++) {
      if (count[owners[i]]++ > 0) {
        repeats++;
      }
    }
    int violating = 0;
    for (int s = 0; s < q; s++) {
      if (repeats > 0) {
        violating++;
      }
      if (--count[owners[s]] > 0) {
        repeats--;
      }
      if (count[owners[(s + n) % q]]++ > 0) {
        repeats++;
      }
    }
    return violating;
  }

  /**
   * Whether {@code node} owns a partition within cyclic distance {@code n - 1} of {@code p},
   * not counting {@code p} itself: placing it at {@code p} would then break target_n.
   */
  static boolean nearby(int[] owners, int p, int node, int n) {
    int q = owners.length;
    int reach = Math.min(n - 1, q - 1);
    for (int d = 1; d <= reach; d++) {
      if (owners[Math.floorMod(p - d, q)] == node || owners[(p + d) % q] == node) {
        return true;
      }
    }
    return false;
  }

  static int ceilDiv(int a, int b) {
    return -Math.floorDiv(-a, b);
  }
}
