package io.ringkv.ring;

import java.util.Objects;

/**
 * One step of ownership handoff after a ring change: {@code from}, a current replica of
 * {@code partition}, streams the partition's data to {@code to}, which becomes a replica in the
 * next ring. See {@link Ring#transfersTo(Ring, int)}.
 */
public record Transfer(int partition, String from, String to) {

  /** @throws IllegalArgumentException if {@code partition} is negative or {@code from == to} */
  public Transfer {
    if (partition < 0) {
      throw new IllegalArgumentException("partition must not be negative: " + partition);
    }
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    if (from.equals(to)) {
      throw new IllegalArgumentException("a node cannot transfer to itself: " + from);
    }
  }
}
