package io.ringkv.ring;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The nodes responsible for one partition, in the order a coordinator should use them.
 *
 * <p>{@code primaries} are the first {@code n} distinct owners met walking clockwise from the
 * partition (the partition's own owner first): the replicas. There are fewer than {@code n} only
 * when the ring has fewer members. {@code fallbacks} are the remaining members in the order the
 * same walk meets them: the stand-ins for down primaries under a sloppy quorum. No node appears
 * twice across both lists.
 *
 * @param partition the partition this list is for
 * @param primaries the replicas, in preference order (immutable)
 * @param fallbacks the other members, in preference order (immutable)
 */
public record PreferenceList(int partition, List<String> primaries, List<String> fallbacks) {

  /** @throws IllegalArgumentException if a node appears twice or the partition is negative */
  public PreferenceList {
    if (partition < 0) {
      throw new IllegalArgumentException("partition must not be negative: " + partition);
    }
    primaries = List.copyOf(primaries);
    fallbacks = List.copyOf(fallbacks);
    Set<String> seen = new HashSet<>();
    for (String node : primaries) {
      requireFirst(seen, node);
    }
    for (String node : fallbacks) {
      requireFirst(seen, node);
    }
  }

  /**
   * The nodes a request should go to, given which nodes are currently up.
   *
   * <p>Each primary that is up is a target as itself, in primary order. A primary that is down
   * is, when {@code sloppy}, replaced by the first fallback that is up and not already used,
   * as a {@linkplain Target#isHinted() hinted} target naming that primary; if no such fallback
   * is left, or when not {@code sloppy} (a strict quorum), it is dropped. The result never
   * contains a down node or a node twice, and may be shorter than {@code primaries()}: the
   * coordinator decides whether what remains can still reach its quorum.
   *
   * @param isUp liveness as currently believed, consulted once per node at most
   * @param sloppy whether down primaries may be replaced by fallbacks
   */
  public List<Target> targets(Predicate<String> isUp, boolean sloppy) {
    Objects.requireNonNull(isUp, "isUp");
    List<Target> targets = new ArrayList<>(primaries.size());
    Iterator<String> spare = fallbacks.iterator();
    for (String primary : primaries) {
      if (isUp.test(primary)) {
        targets.add(new Target(primary, null));
      } else if (sloppy) {
        while (spare.hasNext()) {
          String fallback = spare.next();
          if (isUp.test(fallback)) {
            targets.add(new Target(fallback, primary));
            break;
          }
        }
      }
    }
    return List.copyOf(targets);
  }

  private static void requireFirst(Set<String> seen, String node) {
    if (!seen.add(Objects.requireNonNull(node, "node"))) {
      throw new IllegalArgumentException("node listed twice: " + node);
    }
  }
}
