package io.ringkv.versioning;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ContextAfterUpdateTest {

  @Provide
  Arbitrary<History> histories() {
    return History.histories(40);
  }

  /**
   * When present, the context after an update covers exactly what the writer's context covered plus
   * the new value: a second write with it replaces the first write and everything the first write's
   * context saw, and keeps every other sibling.
   */
  @Property
  void isExactlyTheWritersContextPlusItsOwnDot(@ForAll("histories") History h) {
    for (DvvSet<Integer> state : h.states) {
      for (VersionVector context : h.contexts) {
        for (String node : h.nodes) {
          Optional<VersionVector> after = state.contextAfterUpdate(context, node);
          DvvSet<Integer> written = state.update(context, -1, node);
          if (after.isEmpty()) {
            assertThat(state.context().counter(node)).isGreaterThan(context.counter(node));
            continue;
          }
          assertThat(written.context().descends(after.get())).isTrue();
          DvvSet<Integer> rewritten = written.update(after.get(), -2, node);
          List<Integer> expected = new java.util.ArrayList<>(written.values());
          expected.remove(Integer.valueOf(-1));
          expected.add(-2);
          assertThat(rewritten.values()).containsExactlyInAnyOrderElementsOf(expected);
        }
      }
    }
  }

  @Test
  void isEmptyWhenTheReplicaHoldsDotsOfTheNodeTheWriterNeverSaw() {
    DvvSet<String> state = DvvSet.<String>empty().update(VersionVector.empty(), "x", "a");
    assertThat(state.contextAfterUpdate(VersionVector.empty(), "a")).isEmpty();
    assertThat(state.contextAfterUpdate(state.context(), "a")).contains(VersionVector.of(Map.of("a", 2L)));
    assertThat(state.contextAfterUpdate(VersionVector.empty(), "b")).contains(VersionVector.of(Map.of("b", 1L)));
  }
}
