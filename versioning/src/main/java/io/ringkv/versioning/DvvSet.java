package io.ringkv.versioning;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * An immutable dotted version vector set (DVVSet): the values a replica stores for one key, with
 * exactly the causality needed to tell which of them are concurrent siblings and which a later
 * write superseded.
 *
 * <p>Based on Almeida, Baquero, Gonçalves, Fonte and Preguiça, <i>Scalable and Accurate Causality
 * Tracking for Eventually Consistent Stores</i> (DAIS 2014), the structure of Riak's {@code
 * dvvset}. Every write is coordinated by a replica, which mints a <i>dot</i> {@code (node,
 * counter)} for the new value. The set holds one {@link Entry} per node: its counter {@code n} says
 * the dots {@code (node, 1) .. (node, n)} are known, and its values, newest first, are the ones of
 * the last dots {@code (node, n), (node, n - 1), ...} that no known write superseded. Older dots of
 * the node are known without a value: something newer that saw them replaced them. Per node, the
 * dots with values are therefore always a contiguous run ending at the counter, which is what
 * keeps the whole causal history in one counter per replica however many clients write.
 *
 * <p>Unlike Riak's, this set has no anonymous (dot-less) values, the ones a client's clock carries
 * before a replica has given them a dot: every write in ringkv passes through a coordinating
 * replica that mints the dot at once, so a value without one never exists.
 *
 * <p>Contract for callers; the laws below hold for the states it lets them reach:
 *
 * <ul>
 *   <li>Values are immutable and compare by content ({@code equals}); {@code null} is refused.
 *   <li>A node never mints the same dot twice: a replica that loses its stored state must come
 *       back under a new node id, or its fresh counters would re-mint dots already in use.
 *   <li>Node ids are non-empty, well-formed strings of at most 255 bytes in UTF-8, and are the
 *       ids of replicas, never of clients, so the set grows with the replicas, not the clients.
 * </ul>
 *
 * <p>Then {@link #sync} is commutative, associative and idempotent (up to {@link #equals}); a value
 * is dropped only when the other side knows its dot and holds a value that supersedes it; the
 * values of a state are exactly the known writes that no other known write saw.
 *
 * @param <V> the stored value; ringkv stores {@link StoredValue}, see {@link DvvSetCodec}
 */
public final class DvvSet<V> {
  private static final Object[] NO_VALUES = {};
  private static final DvvSet<?> EMPTY = new DvvSet<>(new String[0], new long[0], new Object[0][]);

  // Parallel arrays, one slot per node, sorted by node id. Never written after construction, so
  // states and the VersionVectors they hand out share them freely.
  private final String[] nodes;
  private final long[] counters;
  private final Object[][] values; // values[i][k] has dot (nodes[i], counters[i] - k)

  /**
   * One node's part of a {@link DvvSet}: the node's counter and the values of its newest dots,
   * newest first, so {@code values.get(i)} has dot {@code (node, counter - i)}.
   *
   * @param node the id of the replica that minted these dots
   * @param counter how many of the node's dots are known, at least 1
   * @param values values of the dots {@code counter, counter - 1, ...}; at most {@code counter}
   *     of them, none null; the list is copied into an unmodifiable one
   */
  public record Entry<V>(String node, long counter, List<V> values) {
    /** @throws IllegalArgumentException if the entry breaks a rule above */
    public Entry {
      NodeIds.requireValid(node);
      if (counter < 1) {
        throw new IllegalArgumentException(
            "counter of node \"" + node + "\" must be >= 1: " + counter);
      }
      if (values == null) {
        throw new IllegalArgumentException("values of node \"" + node + "\" are null");
      }
      for (V value : values) {
        if (value == null) {
          throw new IllegalArgumentException("null value at node \"" + node + '"');
        }
      }
      values = List.copyOf(values);
      if (values.size() > counter) {
        throw new IllegalArgumentException(
            "node \"" + node + "\" has " + values.size() + " values but only " + counter + " dots");
      }
    }
  }

  /** Trusts its caller with every invariant; see the field comments. */
  DvvSet(String[] nodes, long[] counters, Object[][] values) {
    this.nodes = nodes;
    this.counters = counters;
    this.values = values;
  }

  /** Returns the state of a key nobody wrote yet: no values, no known dots. */
  @SuppressWarnings("unchecked")
  public static <V> DvvSet<V> empty() {
    return (DvvSet<V>) EMPTY;
  }

  /**
   * Returns the state with the given entries, the inverse of {@link #entries()}.
   *
   * @throws IllegalArgumentException if an entry is null, or the entries are not sorted by node id
   *     or name a node twice
   */
  public static <V> DvvSet<V> ofEntries(List<Entry<V>> entries) {
    Objects.requireNonNull(entries, "entries");
    int n = entries.size();
    String[] nodes = new String[n];
    long[] counters = new long[n];
    Object[][] values = new Object[n][];
    int i = 0;
    for (Entry<V> entry : entries) {
      if (entry == null) {
        throw new IllegalArgumentException("entry " + i + " is null");
      }
      if (i > 0 && nodes[i - 1].compareTo(entry.node()) >= 0) {
        throw new IllegalArgumentException(
            "entries not sorted by unique node id at \"" + entry.node() + '"');
      }
      nodes[i] = entry.node();
      counters[i] = entry.counter();
      values[i++] = entry.values().toArray();
    }
    return n == 0 ? empty() : new DvvSet<>(nodes, counters, values);
  }

  /** Returns the entries, sorted by node id. */
  @SuppressWarnings("unchecked")
  public List<Entry<V>> entries() {
    List<Entry<V>> entries = new ArrayList<>(nodes.length);
    for (int i = 0; i < nodes.length; i++) {
      entries.add(new Entry<>(nodes[i], counters[i], (List<V>) (List<?>) Arrays.asList(values[i])));
    }
    return Collections.unmodifiableList(entries);
  }

  /**
   * The causal context of the value that {@link #update update(context, value, node)} on this state
   * would write, when a version vector can say it exactly: the client's context plus the new dot.
   * That is the case when this replica holds no dot of {@code node} the context lacks, so the new dot
   * directly follows the context's counter for {@code node}; otherwise the new dot comes after dots
   * of writes the client never saw, which a version vector cannot leave out, and the result is empty.
   * A client that writes again with the returned context supersedes exactly what it had seen and its
   * own write, as if it had read the key in between.
   */
  public Optional<VersionVector> contextAfterUpdate(VersionVector context, String node) {
    long here = context().counter(node);
    long seen = context.counter(node);
    if (here > seen) {
      return Optional.empty();
    }
    SortedMap<String, Long> counters = new TreeMap<>(context.asMap());
    counters.put(node, Math.addExact(seen, 1));
    return Optional.of(VersionVector.of(counters));
  }

  /**
   * Returns the state after replica {@code node} coordinates a client's write of {@code value}
   * on top of this state, the replica's own.
   *
   * <p>The values whose dots {@code context} covers are discarded: the client saw them, and its
   * write replaces them. The others stay as siblings of the new value, which gets the dot {@code
   * (node, max(counter of node here, counter of node in context) + 1)}; the new state knows every
   * dot the context covers, including dots of writes it never held (the client read them from a
   * more up-to-date replica), which the new value supersedes. A client with no context (a blind
   * write) passes {@link VersionVector#empty()} and so replaces nothing.
   *
   * @param context the causal context the client read ({@link #context()} of some state), or empty
   * @param value the new value
   * @param node the id of the coordinating replica, which must be the replica holding this state
   * @throws IllegalArgumentException if {@code node} is not a valid node id
   * @throws ArithmeticException if the node's counter would pass {@link Long#MAX_VALUE}
   */
  public DvvSet<V> update(VersionVector context, V value, String node) {
    Objects.requireNonNull(context, "context");
    Objects.requireNonNull(value, "value");
    NodeIds.requireValid(node);
    Builder builder = new Builder(nodes.length + context.size() + 1);
    boolean minted = false;
    int i = 0;
    int j = 0;
    while (i < nodes.length || j < context.size()) {
      int cmp = i == nodes.length ? 1
          : j == context.size() ? -1
          : nodes[i].compareTo(context.nodeAt(j));
      String id;
      long here = 0;
      Object[] kept = NO_VALUES;
      long seen = 0;
      if (cmp <= 0) {
        id = nodes[i];
        here = counters[i];
        kept = values[i++];
      } else {
        id = context.nodeAt(j);
      }
      if (cmp >= 0) {
        seen = context.counterAt(j++);
      }
      if (!minted && node.compareTo(id) < 0) {
        builder.add(node, 1, new Object[] {value});
        minted = true;
      }
      kept = newest(kept, here - seen); // only dots above what the client saw survive
      long counter = Math.max(here, seen);
      if (id.equals(node)) {
        counter = Math.addExact(counter, 1);
        kept = prepend(value, kept);
        minted = true;
      }
      builder.add(id, counter, kept);
    }
    if (!minted) {
      builder.add(node, 1, new Object[] {value});
    }
    return builder.build();
  }

  /**
   * Returns the merge of two replicas' states of one key: every dot either knows, and every value
   * that neither side's known writes superseded. Used by replication, read repair and
   * anti-entropy alike.
   *
   * <p>Commutative, associative and idempotent up to {@link #equals}. Returns {@code this} or
   * {@code other} itself when it already is the merge, which is the common case of read repair.
   */
  public DvvSet<V> sync(DvvSet<V> other) {
    Objects.requireNonNull(other, "other");
    if (other == this || other.nodes.length == 0) {
      return this;
    }
    if (nodes.length == 0) {
      return other;
    }
    Builder builder = new Builder(nodes.length + other.nodes.length);
    boolean isThis = true;
    boolean isOther = true;
    int i = 0;
    int j = 0;
    while (i < nodes.length || j < other.nodes.length) {
      int cmp = i == nodes.length ? 1
          : j == other.nodes.length ? -1
          : nodes[i].compareTo(other.nodes[j]);
      if (cmp < 0) {
        builder.add(nodes[i], counters[i], values[i++]);
        isOther = false;
      } else if (cmp > 0) {
        builder.add(other.nodes[j], other.counters[j], other.values[j++]);
        isThis = false;
      } else {
        long n1 = counters[i];
        long n2 = other.counters[j];
        Object[] merged = merge(n1, values[i], n2, other.values[j]);
        // Equal counters and value counts mean equal dots, hence (dots being unique) equal values.
        isThis &= n1 >= n2 && merged.length == values[i].length;
        isOther &= n2 >= n1 && merged.length == other.values[j].length;
        builder.add(nodes[i], Math.max(n1, n2), merged);
        i++;
        j++;
      }
    }
    return isThis ? this : isOther ? other : builder.build();
  }

  /**
   * One node's values after a sync: the run of the higher counter, minus the dots the other side
   * knows without a value (which it saw superseded). Both runs end at their counters, so the
   * result is again a run ending at the maximum counter.
   */
  private static Object[] merge(long n1, Object[] values1, long n2, Object[] values2) {
    long valueless1 = n1 - values1.length; // dots 1..valueless1 are known superseded
    long valueless2 = n2 - values2.length;
    if (n1 >= n2) {
      return valueless1 >= valueless2 ? values1 : newest(values1, n1 - valueless2);
    }
    return valueless2 >= valueless1 ? values2 : newest(values2, n2 - valueless1);
  }

  /** Returns the first {@code count} values, newest first, sharing the array when it is all. */
  private static Object[] newest(Object[] values, long count) {
    if (count >= values.length) {
      return values;
    }
    return count <= 0 ? NO_VALUES : Arrays.copyOf(values, (int) count);
  }

  private static Object[] prepend(Object value, Object[] values) {
    Object[] result = new Object[values.length + 1];
    result[0] = value;
    System.arraycopy(values, 0, result, 1, values.length);
    return result;
  }

  /**
   * Returns every sibling: by node id, then newest dot first. Deterministic, so replicas with
   * equal states list their values in the same order.
   */
  @SuppressWarnings("unchecked")
  public List<V> values() {
    int count = valueCount();
    if (count == 0) {
      return List.of();
    }
    Object[] all = new Object[count];
    int n = 0;
    for (Object[] nodeValues : values) {
      System.arraycopy(nodeValues, 0, all, n, nodeValues.length);
      n += nodeValues.length;
    }
    return (List<V>) (List<?>) Collections.unmodifiableList(Arrays.asList(all));
  }

  /** Returns the number of siblings, {@code values().size()} without building the list. */
  public int valueCount() {
    int count = 0;
    for (Object[] nodeValues : values) {
      count += nodeValues.length;
    }
    return count;
  }

  /**
   * Returns the causal context of this state, the counter of every node: what a client receives
   * with a read so that its next write supersedes exactly the values it saw.
   */
  public VersionVector context() {
    return nodes.length == 0 ? VersionVector.empty() : new VersionVector(nodes, counters);
  }

  /**
   * Returns whether this state knows every dot {@code other} knows, i.e. {@code
   * context().descends(other.context())}. For states of one key, {@code a.descends(b)} holds
   * exactly when {@code a.sync(b)} equals {@code a}: {@code b} has nothing {@code a} lacks.
   */
  public boolean descends(DvvSet<?> other) {
    return VersionVector.descends(nodes, counters, other.nodes, other.counters);
  }

  /**
   * Returns the last-writer-wins resolution of this state: only the greatest value by {@code
   * order} stays, and every counter is kept, so the result still {@link #descends} this state and
   * a sync with any older replica keeps the winner alone.
   *
   * <p>The candidates are each node's newest value. A node mints its dots in the order it
   * coordinated the writes, so a node's older value is not its last write; and the representation
   * cannot keep an older dot of a node without the newer ones. Ties go to the smallest node id.
   * Returns this state when it holds at most one value.
   */
  @SuppressWarnings("unchecked")
  public DvvSet<V> lww(Comparator<? super V> order) {
    Objects.requireNonNull(order, "order");
    int winner = -1;
    for (int i = 0; i < nodes.length; i++) {
      if (values[i].length > 0
          && (winner < 0 || order.compare((V) values[i][0], (V) values[winner][0]) > 0)) {
        winner = i;
      }
    }
    if (winner < 0 || valueCount() == 1) {
      return this;
    }
    Object[][] kept = new Object[nodes.length][];
    Arrays.fill(kept, NO_VALUES);
    kept[winner] = values[winner].length == 1 ? values[winner] : new Object[] {values[winner][0]};
    return new DvvSet<>(nodes, counters, kept);
  }

  // Package-private, allocation-free access for DvvSetCodec.

  int entryCount() {
    return nodes.length;
  }

  String nodeAt(int i) {
    return nodes[i];
  }

  long counterAt(int i) {
    return counters[i];
  }

  /** The values of entry {@code i}, newest first; the caller must not write to the array. */
  Object[] valuesAt(int i) {
    return values[i];
  }

  /** Equal when both hold the same entries: same nodes, counters and values in the same order. */
  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof DvvSet<?> other)
        || !Arrays.equals(counters, other.counters)
        || !Arrays.equals(nodes, other.nodes)) {
      return false;
    }
    for (int i = 0; i < values.length; i++) {
      if (!Arrays.equals(values[i], other.values[i])) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int hashCode() {
    int hash = 31 * Arrays.hashCode(nodes) + Arrays.hashCode(counters);
    for (Object[] nodeValues : values) {
      hash = 31 * hash + Arrays.hashCode(nodeValues);
    }
    return hash;
  }

  /** Returns the entries, such as {@code [a:3 [v3, v2], b:1 []]}. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < nodes.length; i++) {
      sb.append(i == 0 ? "" : ", ").append(nodes[i]).append(':').append(counters[i])
          .append(' ').append(Arrays.toString(values[i]));
    }
    return sb.append(']').toString();
  }

  /** Collects entries in node order into arrays sized for the worst case, trimmed on build. */
  private static final class Builder {
    private final String[] nodes;
    private final long[] counters;
    private final Object[][] values;
    private int size;

    Builder(int capacity) {
      nodes = new String[capacity];
      counters = new long[capacity];
      values = new Object[capacity][];
    }

    void add(String node, long counter, Object[] nodeValues) {
      nodes[size] = node;
      counters[size] = counter;
      values[size++] = nodeValues;
    }

    <V> DvvSet<V> build() {
      if (size == nodes.length) {
        return new DvvSet<>(nodes, counters, values);
      }
      return new DvvSet<>(
          Arrays.copyOf(nodes, size), Arrays.copyOf(counters, size), Arrays.copyOf(values, size));
    }
  }
}
