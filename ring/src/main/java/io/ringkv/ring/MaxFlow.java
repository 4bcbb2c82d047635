package io.ringkv.ring;

import java.util.Arrays;

/**
 * A small integer max-flow network (breadth-first augmenting paths), used through
 * {@link #assign} to hand items (partitions, arcs of partitions) to nodes under per-node quotas.
 */
final class MaxFlow {

  private final int[] head;
  private int[] next = new int[16];
  private int[] to = new int[16];
  private int[] cap = new int[16];
  private int edges;

  private MaxFlow(int vertices) {
    head = new int[vertices];
    Arrays.fill(head, -1);
  }

  /**
   * Gives each item at most one of its {@code candidates} so that node {@code x} gets between
   * {@code min[x]} and {@code max[x]} items, as many items as possible. Returns the node per item,
   * or -1 where it got none; if no assignment meets every minimum, the one returned meets as
   * much of them as can be met.
   *
   * <p>Two runs: first with the minimums as capacities, then raised to the maximums. An
   * augmenting path enters the sink only on its last edge, so the flow into the sink from any
   * node never decreases, and what the first run met stays met.
   */
  static int[] assign(int[][] candidates, int[] min, int[] max) {
    int items = candidates.length;
    int nodes = min.length;
    int source = items + nodes;
    int sink = source + 1;
    MaxFlow flow = new MaxFlow(items + nodes + 2);
    int[] first = new int[items]; // id of each item's first candidate edge
    for (int k = 0; k < items; k++) {
      flow.addEdge(source, k, 1);
      first[k] = flow.edges;
      for (int x : candidates[k]) {
        flow.addEdge(k, items + x, 1);
      }
    }
    int[] quota = new int[nodes];
    for (int x = 0; x < nodes; x++) {
      quota[x] = flow.addEdge(items + x, sink, min[x]);
    }
    flow.augment(source, sink);
    for (int x = 0; x < nodes; x++) {
      flow.cap[quota[x]] = max[x] - flow.cap[quota[x] ^ 1];
    }
    flow.augment(source, sink);
    int[] chosen = new int[items];
    for (int k = 0; k < items; k++) {
      chosen[k] = -1;
      for (int i = 0; i < candidates[k].length; i++) {
        if (flow.cap[(first[k] + 2 * i) ^ 1] > 0) {
          chosen[k] = candidates[k][i];
        }
      }
    }
    return chosen;
  }

  /** Adds an edge and returns its id; its reverse residual edge is {@code id ^ 1}. */
  private int addEdge(int from, int toVertex, int capacity) {
    int id = edges;
    link(from, toVertex, capacity);
    link(toVertex, from, 0);
    return id;
  }

  /** Pushes as much additional flow as possible from source to sink. */
  private void augment(int source, int sink) {
    int[] via = new int[head.length];
    int[] queue = new int[head.length];
    while (true) {
      Arrays.fill(via, -1);
      int read = 0;
      int write = 0;
      queue[write++] = source;
      via[source] = -2;
      while (read < write && via[sink] == -1) {
        int v = queue[read++];
        for (int e = head[v]; e != -1; e = next[e]) {
          if (cap[e] > 0 && via[to[e]] == -1) {
            via[to[e]] = e;
            queue[write++] = to[e];
          }
        }
      }
      if (via[sink] == -1) {
        return;
      }
      int push = Integer.MAX_VALUE;
      for (int v = sink; v != source; v = to[via[v] ^ 1]) {
        push = Math.min(push, cap[via[v]]);
      }
      for (int v = sink; v != source; v = to[via[v] ^ 1]) {
        cap[via[v]] -= push;
        cap[via[v] ^ 1] += push;
      }
    }
  }

  private void link(int from, int toVertex, int capacity) {
    if (edges == to.length) {
      next = Arrays.copyOf(next, edges * 2);
      to = Arrays.copyOf(to, edges * 2);
      cap = Arrays.copyOf(cap, edges * 2);
    }
    to[edges] = toVertex;
    cap[edges] = capacity;
    next[edges] = head[from];
    head[from] = edges++;
  }
}
