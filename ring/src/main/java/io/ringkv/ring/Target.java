package io.ringkv.ring;

import java.util.Objects;

/**
 * A node a request for one key is sent to.
 *
 * @param node the node to contact
 * @param hintFor {@code null} when {@code node} is a primary replica; otherwise the down primary
 *     whose copy {@code node} holds as a fallback, to hand it back when that primary returns
 *     (hinted handoff)
 */
public record Target(String node, String hintFor) {

  /** @throws IllegalArgumentException if {@code hintFor} equals {@code node} */
  public Target {
    Objects.requireNonNull(node, "node");
    if (node.equals(hintFor)) {
      throw new IllegalArgumentException("a node cannot hold a hint for itself: " + node);
    }
  }

  /** Whether this is a fallback standing in for {@link #hintFor()}. */
  public boolean isHinted() {
    return hintFor != null;
  }
}
