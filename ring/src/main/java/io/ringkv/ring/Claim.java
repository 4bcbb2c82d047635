package io.ringkv.ring;

import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * Claim: which node owns which partition, on dense node ids {@code 0..m-1}. Every result is
 * balanced (each node owns {@code floor(q/m)} or {@code ceil(q/m)} partitions), meets target_n
 * whenever {@link TargetN#achievable} says it can, and is a pure function of its arguments, so
 * every node computing a change gets the same ring.
 *
 * <p>Join and leave first try an exact step that moves only what must move, a flow problem under
 * per-node quotas. Whatever it leaves undone {@link #finish} completes: {@link Repair} fills and
 * rebalances greedily, then {@link SwapSearch} swaps owners until target_n holds, with a fresh
 * {@link Stripe} layout aligned to the old ring as the fallback that always succeeds.
 */
final class Claim {

  /** Swap search budget, in steps per partition: ample for every case measured. */
  private static final int SEARCH_STEPS_PER_PARTITION = 4;

  private Claim() {}

  /** The initial layout; where target_n is not achievable, with few violating windows. */
  static int[] create(int q, int m, int n) {
    int[] owners = Stripe.layout(q, m, n);
    if (!TargetN.achievable(q, m, n)) {
      new Repair(owners, m, n).swap(); // cannot reach zero; fewer violating windows is better
    }
    return owners;
  }

  /**
   * Gives {@code joiner} (owning nothing in {@code owners}) its share {@code floor(q/m)}.
   *
   * <p>Exact step: the share is taken from the current owners within their quotas, one partition
   * from each of {@code share} disjoint arcs of the ring, the arcs separated by {@code n - 1}
   * partitions so that the joiner's partitions are at least {@code n} apart. Removing an owner
   * never breaks target_n and the joiner cannot collide with itself, so a ring that met target_n
   * still does. Which donor gives in which arc is a flow problem; arcs are shifted around the
   * ring until one placement admits a solution.
   */
  static int[] join(int[] before, int m, int joiner, int n) {
    int[] owners = before.clone();
    int[] count = counts(owners, m);
    count[joiner] = Integer.MIN_VALUE; // excluded from the balance check below
    if (balancedExcept(count)) {
      takeSpaced(owners, m, joiner, n, count); // if it fails, finish() places the share greedily
    }
    return finish(owners, before, m, n, owners.length / m);
  }

  /**
   * Hands the {@link Repair#VACANT} partitions (a leaver's) to the {@code m} remaining nodes.
   *
   * <p>Exact step: a vacant partition may go to a node owning nothing within {@code n - 1} of
   * it, and each node may take as many as brings it to its balanced share; a maximum flow finds
   * the largest such assignment. If it places every vacancy the ring keeps target_n with no
   * other partition moving; otherwise the rest is repaired.
   */
  static int[] leave(int[] before, int m, int n) {
    int[] owners = before.clone();
    int[] count = counts(owners, m);
    int most = TargetN.ceilDiv(owners.length, m);
    if (Arrays.stream(count).max().orElse(0) <= most) {
      fillSpaced(owners, m, n, count);
    }
    int vacant = (int) Arrays.stream(before).filter(owner -> owner == Repair.VACANT).count();
    return finish(owners, before, m, n, vacant);
  }

  /**
   * Completes a claim step: fills what is still vacant and evens out counts, then repairs
   * target_n. When it is achievable the swap search runs; if that fails, or moves more than
   * {@code n - 1} others per partition the step had to move anyway ({@code due}), a fresh
   * layout aligned to the old ring is tried too and whichever moves less wins. When target_n is
   * not achievable only swaps that remove violating windows are made.
   */
  private static int[] finish(int[] owners, int[] reference, int m, int n, int due) {
    int q = owners.length;
    Repair repair = new Repair(owners, m, n);
    repair.rebalance();
    if (TargetN.violations(owners, m, n) == 0) {
      return owners;
    }
    if (!TargetN.achievable(q, m, n)) {
      repair.swap();
      return owners;
    }
    SwapSearch search = new SwapSearch(owners, reference, m, n);
    boolean found = search.run(SEARCH_STEPS_PER_PARTITION * q) == 0;
    if (found && moved(owners, reference) - due <= (n - 1) * due) {
      return owners;
    }
    int[] fresh = Stripe.aligned(reference, m);
    new SwapSearch(fresh, reference, m, n).run(0); // no steps: only moves owners back home
    return !found || moved(fresh, reference) < moved(owners, reference) ? fresh : owners;
  }

  private static int moved(int[] owners, int[] reference) {
    int moved = 0;
    for (int p = 0; p < owners.length; p++) {
      if (owners[p] != reference[p]) {
        moved++;
      }
    }
    return moved;
  }

  /**
   * The exact join step: {@code share = floor(q/m)} arcs, each followed by {@code n - 1}
   * partitions (fewer if the ring is too small for that), one partition taken from each arc.
   * Changes nothing if no arc layout tried admits donors within their quotas.
   */
  private static void takeSpaced(int[] owners, int m, int joiner, int n, int[] count) {
    int q = owners.length;
    int share = q / m;
    int spacing = Math.min(n, q / share);
    int room = q - share * (spacing - 1); // partitions inside arcs, at least one per arc
    int[] min = new int[m];
    int[] max = new int[m];
    for (int x = 0; x < m; x++) {
      if (x != joiner) {
        min[x] = Math.max(0, count[x] - TargetN.ceilDiv(q, m));
        max[x] = count[x] - share;
      }
    }
    for (int shift = 0; shift < TargetN.ceilDiv(q, share); shift++) {
      int[] start = new int[share];
      int[][] donors = new int[share][];
      for (int k = 0; k < share; k++) {
        int from = (int) ((long) k * room / share);
        int to = (int) ((long) (k + 1) * room / share);
        start[k] = shift + k * (spacing - 1) + from;
        donors[k] = IntStream.range(start[k], start[k] + to - from)
            .map(p -> owners[p % q]).distinct().toArray();
      }
      int[] donor = MaxFlow.assign(donors, min, max);
      int[] given = new int[m];
      for (int d : donor) {
        if (d >= 0) {
          given[d]++;
        }
      }
      boolean complete = true;
      for (int x = 0; x < m; x++) {
        complete &= given[x] >= min[x];
      }
      if (complete && Arrays.stream(donor).allMatch(d -> d >= 0)) {
        for (int k = 0; k < share; k++) {
          int p = start[k];
          while (owners[p % q] != donor[k]) {
            p++;
          }
          owners[p % q] = joiner;
        }
        return;
      }
    }
  }

  /**
   * The exact leave step: each vacancy may go to a node owning nothing within {@code n - 1} of
   * it, up to that node's balanced share; as many vacancies as possible are filled.
   */
  private static void fillSpaced(int[] owners, int m, int n, int[] count) {
    int q = owners.length;
    int[] vacant = IntStream.range(0, q).filter(p -> owners[p] == Repair.VACANT).toArray();
    int[][] takers = new int[vacant.length][];
    for (int k = 0; k < vacant.length; k++) {
      int p = vacant[k];
      takers[k] = IntStream.range(0, m).filter(y -> !TargetN.nearby(owners, p, y, n)).toArray();
    }
    int[] min = new int[m];
    int[] max = new int[m];
    for (int y = 0; y < m; y++) {
      min[y] = Math.max(0, q / m - count[y]);
      max[y] = TargetN.ceilDiv(q, m) - count[y];
    }
    int[] taker = MaxFlow.assign(takers, min, max);
    for (int k = 0; k < vacant.length; k++) {
      if (taker[k] >= 0) {
        owners[vacant[k]] = taker[k];
      }
    }
  }

  private static int[] counts(int[] owners, int m) {
    int[] count = new int[m];
    for (int owner : owners) {
      if (owner != Repair.VACANT) {
        count[owner]++;
      }
    }
    return count;
  }

  private static boolean balancedExcept(int[] count) {
    int min = Integer.MAX_VALUE;
    int max = 0;
    for (int c : count) {
      if (c >= 0) {
        min = Math.min(min, c);
        max = Math.max(max, c);
      }
    }
    return max - min <= 1;
  }
}
