package io.ringkv.versioning;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * A replayed run of a small cluster: 2 to 5 replicas of one key, clients writing with contexts
 * they read earlier (fresh, stale or none), replication and anti-entropy between replicas. Every
 * state it records is one a real deployment can reach, which is what the laws of {@link DvvSet}
 * are stated for. Each write's value is its sequence number, and the history remembers the dot
 * it got and the context it was written with, so tests can tell what superseded what.
 */
final class History {
  /** Replica ids, some multi-byte and one outside the BMP, to exercise the codecs' UTF-8. */
  static final List<String> NODE_POOL = List.of("a", "node-β", "c", "\uD83D\uDE80", "e-0");

  /** A write: its value is {@code id}; it got dot {@code (node, counter)}; its client saw {@code context}. */
  record Write(int id, String node, long counter, VersionVector context) {
    /** Whether this write's client saw {@code other}, so this write supersedes it. */
    boolean supersedes(Write other) {
      return context.counter(other.node) >= other.counter;
    }
  }

  final List<String> nodes;
  final Map<String, DvvSet<Integer>> replicas = new HashMap<>();
  /** Every state any replica held, the empty one first. */
  final List<DvvSet<Integer>> states = new ArrayList<>();
  /** Every context a client read, the empty one (no read) first. */
  final List<VersionVector> contexts = new ArrayList<>();
  final List<Write> writes = new ArrayList<>();

  private History(int nodeCount) {
    nodes = NODE_POOL.subList(0, nodeCount);
    for (String node : nodes) {
      replicas.put(node, DvvSet.empty());
    }
    states.add(DvvSet.empty());
    contexts.add(VersionVector.empty());
  }

  /** One step of a run: what happens ({@code kind}), at which replicas, with which earlier read. */
  record Step(int kind, int a, int b, int pick) {}

  /** Histories of {@code maxSteps / 8} to {@code maxSteps} steps among 2 to 5 replicas. */
  static Arbitrary<History> histories(int maxSteps) {
    Arbitrary<Step> step = Combinators.combine(
            Arbitraries.integers().between(0, 3),
            Arbitraries.integers().between(0, NODE_POOL.size() - 1),
            Arbitraries.integers().between(0, NODE_POOL.size() - 1),
            Arbitraries.integers().between(0, 1_000))
        .as(Step::new);
    return Combinators.combine(
            Arbitraries.integers().between(2, NODE_POOL.size()),
            step.list().ofMinSize(maxSteps / 8).ofMaxSize(maxSteps))
        .as(History::replay);
  }

  static History replay(int nodeCount, List<Step> steps) {
    History h = new History(nodeCount);
    for (Step step : steps) {
      String a = h.node(step.a());
      String b = h.node(step.b());
      switch (step.kind()) {
        case 0 -> { // a client writes with a context it read some time ago, W = 2
          h.write(a, h.context(step.pick()));
          h.set(b, h.replica(b).sync(h.replica(a)));
        }
        case 1 -> // a client reads from a and b (or a alone) without repairing them
            h.contexts.add(h.replica(a).sync(h.replica(b)).context());
        case 2 -> h.set(a, h.replica(a).sync(h.replica(b))); // anti-entropy or read repair
        default -> // read-modify-write at one replica, or a blind write
            h.write(a, step.pick() % 2 == 0 ? h.replica(a).context() : VersionVector.empty());
      }
    }
    return h;
  }

  DvvSet<Integer> replica(String node) {
    return replicas.get(node);
  }

  /** A state picked by an arbitrary int, so properties can draw several from one history. */
  DvvSet<Integer> state(int pick) {
    return states.get(Math.floorMod(pick, states.size()));
  }

  VersionVector context(int pick) {
    return contexts.get(Math.floorMod(pick, contexts.size()));
  }

  String node(int pick) {
    return nodes.get(Math.floorMod(pick, nodes.size()));
  }

  Write write(int id) {
    return writes.get(id);
  }

  /** The value the next write will get. */
  int nextValue() {
    return writes.size();
  }

  private void write(String node, VersionVector context) {
    int id = writes.size();
    DvvSet<Integer> next = replica(node).update(context, id, node);
    writes.add(new Write(id, node, next.context().counter(node), context));
    set(node, next);
  }

  private void set(String node, DvvSet<Integer> state) {
    replicas.put(node, state);
    states.add(state);
  }

  @Override
  public String toString() {
    return "History" + replicas + " writes=" + writes;
  }
}
