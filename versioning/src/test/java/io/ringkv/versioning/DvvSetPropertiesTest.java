package io.ringkv.versioning;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringkv.versioning.History.Write;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The laws of {@link DvvSet}, checked on states a real cluster can reach ({@link History}). */
class DvvSetPropertiesTest {

  @Provide
  Arbitrary<History> histories() {
    return History.histories(40);
  }

  @Property
  void syncIsCommutative(@ForAll("histories") History h, @ForAll int i, @ForAll int j) {
    DvvSet<Integer> a = h.state(i);
    DvvSet<Integer> b = h.state(j);

    assertThat(a.sync(b)).isEqualTo(b.sync(a));
  }

  @Property
  void syncIsAssociative(@ForAll("histories") History h, @ForAll int i, @ForAll int j, @ForAll int k) {
    DvvSet<Integer> a = h.state(i);
    DvvSet<Integer> b = h.state(j);
    DvvSet<Integer> c = h.state(k);

    assertThat(a.sync(b).sync(c)).isEqualTo(a.sync(b.sync(c)));
  }

  @Property
  void syncIsIdempotent(@ForAll("histories") History h, @ForAll int i, @ForAll int j) {
    DvvSet<Integer> a = h.state(i);
    DvvSet<Integer> ab = a.sync(h.state(j));

    assertThat(a.sync(a)).isEqualTo(a);
    assertThat(ab.sync(a)).isEqualTo(ab);
  }

  @Property
  void syncKnowsEveryDotEitherSideKnows(@ForAll("histories") History h, @ForAll int i, @ForAll int j) {
    DvvSet<Integer> a = h.state(i);
    DvvSet<Integer> b = h.state(j);

    assertThat(a.sync(b).context()).isEqualTo(a.context().merge(b.context()));
  }

  @Property
  void syncDropsOnlyValuesTheOtherSideSawSuperseded(
      @ForAll("histories") History h, @ForAll int i, @ForAll int j) {
    DvvSet<Integer> a = h.state(i);
    DvvSet<Integer> b = h.state(j);
    List<Integer> merged = a.sync(b).values();

    for (List<DvvSet<Integer>> pair : List.of(List.of(a, b), List.of(b, a))) {
      DvvSet<Integer> side = pair.get(0);
      DvvSet<Integer> otherSide = pair.get(1);
      for (int value : side.values()) {
        Write w = h.write(value);
        boolean supersededThere = otherSide.context().counter(w.node()) >= w.counter()
            && !otherSide.values().contains(value);
        assertThat(merged.contains(value)).as("value %s kept", value).isEqualTo(!supersededThere);
      }
    }
  }

  @Property
  void siblingsAreExactlyTheKnownWritesNoKnownWriteSupersedes(
      @ForAll("histories") History h, @ForAll int i) {
    DvvSet<Integer> s = h.state(i);
    VersionVector clock = s.context();
    List<Write> known = new ArrayList<>();
    for (Write w : h.writes) {
      if (clock.counter(w.node()) >= w.counter()) {
        known.add(w);
      }
    }
    List<Integer> concurrent = new ArrayList<>();
    for (Write w : known) {
      if (known.stream().noneMatch(other -> other.supersedes(w))) {
        concurrent.add(w.id());
      }
    }

    assertThat(s.values()).containsExactlyInAnyOrderElementsOf(concurrent);
  }

  @Property
  void everyValueSitsAtTheDotItWasWrittenWith(@ForAll("histories") History h, @ForAll int i) {
    for (DvvSet.Entry<Integer> entry : h.state(i).entries()) {
      for (int k = 0; k < entry.values().size(); k++) {
        Write w = h.write(entry.values().get(k));
        assertThat(w.node()).isEqualTo(entry.node());
        assertThat(w.counter()).isEqualTo(entry.counter() - k);
      }
    }
  }

  @Property
  void updateReplacesExactlyTheValuesItsContextCovers(
      @ForAll("histories") History h, @ForAll int i, @ForAll int c, @ForAll int n) {
    DvvSet<Integer> s = h.state(i);
    VersionVector context = h.context(c);
    String node = h.node(n);
    int value = h.nextValue();

    DvvSet<Integer> next = s.update(context, value, node);

    List<Integer> expected = new ArrayList<>(List.of(value));
    for (int old : s.values()) {
      Write w = h.write(old);
      if (context.counter(w.node()) < w.counter()) {
        expected.add(old);
      }
    }
    assertThat(next.values()).containsExactlyInAnyOrderElementsOf(expected);
    long dot = Math.max(s.context().counter(node), context.counter(node)) + 1;
    assertThat(next.context())
        .isEqualTo(s.context().merge(context).merge(VersionVector.of(Map.of(node, dot))));
  }

  @Property
  void writeThatSawEverySiblingReplacesThemAll(
      @ForAll("histories") History h, @ForAll int i, @ForAll int n) {
    DvvSet<Integer> s = h.state(i);
    int value = h.nextValue();

    DvvSet<Integer> next = s.update(s.context(), value, h.node(n));

    assertThat(next.values()).containsExactly(value);
    assertThat(next.descends(s)).isTrue();
  }

  @Property
  void writesWithTheSameContextOnDifferentReplicasAreSiblings(
      @ForAll("histories") History h, @ForAll int c, @ForAll int n, @ForAll int m) {
    int size = h.nodes.size();
    int i = Math.floorMod(n, size);
    String first = h.nodes.get(i);
    String second = h.nodes.get((i + 1 + Math.floorMod(m, size - 1)) % size); // never the first
    VersionVector context = h.context(c);
    int x = h.nextValue();
    int y = x + 1;

    DvvSet<Integer> a = h.replica(first).update(context, x, first);
    DvvSet<Integer> b = h.replica(second).update(context, y, second);

    assertThat(a.sync(b).values()).contains(x, y);
  }

  @Property
  void writesWithTheSameContextOnOneReplicaAreSiblings(
      @ForAll("histories") History h, @ForAll int c, @ForAll int n, @ForAll int m) {
    String node = h.node(n);
    VersionVector context = h.context(c);
    int x = h.nextValue();
    int y = x + 1;

    DvvSet<Integer> twice = h.replica(node).update(context, x, node).update(context, y, node);

    assertThat(twice.values()).contains(x, y);
    assertThat(twice.sync(h.replica(h.node(m))).values()).contains(x, y);
  }

  @Property
  void descendsExactlyWhenSyncAddsNothing(@ForAll("histories") History h, @ForAll int i, @ForAll int j) {
    DvvSet<Integer> a = h.state(i);
    DvvSet<Integer> b = h.state(j);
    DvvSet<Integer> ab = a.sync(b);

    assertThat(a.descends(b)).isEqualTo(ab.equals(a));
    assertThat(ab.descends(a)).isTrue();
    assertThat(ab.descends(b)).isTrue();
  }

  @Property
  void lwwKeepsOneValueAndEveryCounter(@ForAll("histories") History h, @ForAll int i) {
    DvvSet<Integer> s = h.state(i);

    DvvSet<Integer> resolved = s.lww(Comparator.naturalOrder());

    if (s.valueCount() == 0) {
      assertThat(resolved).isEqualTo(s);
      return;
    }
    Integer newestOfANode = s.entries().stream()
        .filter(e -> !e.values().isEmpty())
        .map(e -> e.values().get(0))
        .max(Comparator.naturalOrder())
        .orElseThrow();
    assertThat(resolved.values()).containsExactly(newestOfANode);
    assertThat(resolved.context()).isEqualTo(s.context());
    assertThat(resolved.descends(s)).isTrue();
    assertThat(resolved.sync(s)).as("an older replica cannot revive a loser").isEqualTo(resolved);
  }
}
