package io.ringkv.versioning;

import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * An immutable version vector: for each node id, how many of that node's dots (events) are known.
 *
 * <p>This is the causal context a client receives with a read and sends back with its next write
 * ({@link DvvSet#context()}, {@link DvvSet#update}); {@link CausalContextCodec} turns it into the
 * opaque string clients carry. A vector with counter {@code n} for node {@code a} covers the dots
 * {@code (a, 1) .. (a, n)}; absent nodes have counter 0.
 *
 * <p>Entries are kept sorted by node id ({@link String#compareTo}) and every counter is at least 1,
 * so two vectors covering the same dots are {@link #equals equal}. A node id is a non-empty,
 * well-formed string of at most 255 bytes in UTF-8.
 */
public final class VersionVector {
  private static final VersionVector EMPTY = new VersionVector(new String[0], new long[0]);

  // Shared with the DvvSet this vector came from, never written after construction.
  private final String[] nodes;
  private final long[] counters;

  /** Trusts its caller: sorted, unique, valid ids, counters >= 1, arrays never written again. */
  VersionVector(String[] nodes, long[] counters) {
    this.nodes = nodes;
    this.counters = counters;
  }

  /** Returns the vector that covers no dot. */
  public static VersionVector empty() {
    return EMPTY;
  }

  /**
   * Returns the vector with the given counters.
   *
   * @throws IllegalArgumentException if a node id is null or not a valid node id, or a counter is
   *     null or below 1 (a node with no events is simply left out)
   */
  public static VersionVector of(Map<String, Long> counters) {
    Objects.requireNonNull(counters, "counters");
    TreeMap<String, Long> sorted = new TreeMap<>();
    for (Map.Entry<String, Long> entry : counters.entrySet()) {
      String node = NodeIds.requireValid(entry.getKey());
      Long counter = entry.getValue();
      if (counter == null || counter < 1) {
        throw new IllegalArgumentException(
            "counter of node \"" + node + "\" must be >= 1: " + counter);
      }
      sorted.put(node, counter);
    }
    if (sorted.isEmpty()) {
      return EMPTY;
    }
    String[] nodes = new String[sorted.size()];
    long[] values = new long[nodes.length];
    int i = 0;
    for (Map.Entry<String, Long> entry : sorted.entrySet()) {
      nodes[i] = entry.getKey();
      values[i++] = entry.getValue();
    }
    return new VersionVector(nodes, values);
  }

  /** Returns how many of {@code node}'s dots this vector covers, 0 if it names no such node. */
  public long counter(String node) {
    Objects.requireNonNull(node, "node");
    int i = Arrays.binarySearch(nodes, node);
    return i >= 0 ? counters[i] : 0;
  }

  /** Returns the counters as an unmodifiable map sorted by node id. */
  public SortedMap<String, Long> asMap() {
    TreeMap<String, Long> map = new TreeMap<>();
    for (int i = 0; i < nodes.length; i++) {
      map.put(nodes[i], counters[i]);
    }
    return Collections.unmodifiableSortedMap(map);
  }

  /** Returns the number of nodes with a counter. */
  public int size() {
    return nodes.length;
  }

  /** Returns whether this vector covers no dot. */
  public boolean isEmpty() {
    return nodes.length == 0;
  }

  /**
   * Returns the pointwise maximum of this vector and {@code other}: the least vector that
   * descends both. Returns one of the two instances when it already is that vector.
   */
  public VersionVector merge(VersionVector other) {
    if (descends(other)) {
      return this;
    }
    if (other.descends(this)) {
      return other;
    }
    String[] mergedNodes = new String[nodes.length + other.nodes.length];
    long[] mergedCounters = new long[mergedNodes.length];
    int i = 0;
    int j = 0;
    int n = 0;
    while (i < nodes.length || j < other.nodes.length) {
      int cmp = i == nodes.length ? 1
          : j == other.nodes.length ? -1
          : nodes[i].compareTo(other.nodes[j]);
      if (cmp < 0) {
        mergedNodes[n] = nodes[i];
        mergedCounters[n++] = counters[i++];
      } else if (cmp > 0) {
        mergedNodes[n] = other.nodes[j];
        mergedCounters[n++] = other.counters[j++];
      } else {
        mergedNodes[n] = nodes[i];
        mergedCounters[n++] = Math.max(counters[i++], other.counters[j++]);
      }
    }
    return new VersionVector(Arrays.copyOf(mergedNodes, n), Arrays.copyOf(mergedCounters, n));
  }

  /**
   * Returns whether this vector covers every dot {@code other} covers (this {@code >=} other
   * pointwise). Reflexive, antisymmetric and transitive: a partial order, in which two vectors
   * that do not descend each other are concurrent.
   */
  public boolean descends(VersionVector other) {
    return descends(nodes, counters, other.nodes, other.counters);
  }

  /** Pointwise {@code >=} over two sorted (node, counter) arrays; shared with {@link DvvSet}. */
  static boolean descends(
      String[] nodes, long[] counters, String[] otherNodes, long[] otherCounters) {
    if (otherNodes.length > nodes.length) {
      return false; // every node of the other needs a counter here
    }
    int i = 0;
    for (int j = 0; j < otherNodes.length; j++) {
      while (i < nodes.length && nodes[i].compareTo(otherNodes[j]) < 0) {
        i++;
      }
      if (i == nodes.length || !nodes[i].equals(otherNodes[j]) || counters[i] < otherCounters[j]) {
        return false;
      }
      i++;
    }
    return true;
  }

  // Package-private, allocation-free access for DvvSet and the codecs.

  String nodeAt(int i) {
    return nodes[i];
  }

  long counterAt(int i) {
    return counters[i];
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof VersionVector other
        && Arrays.equals(counters, other.counters)
        && Arrays.equals(nodes, other.nodes);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(nodes) + Arrays.hashCode(counters);
  }

  /** Returns the counters in node order, such as {@code {a=3, b=1}}. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("{");
    for (int i = 0; i < nodes.length; i++) {
      sb.append(i == 0 ? "" : ", ").append(nodes[i]).append('=').append(counters[i]);
    }
    return sb.append('}').toString();
  }
}
