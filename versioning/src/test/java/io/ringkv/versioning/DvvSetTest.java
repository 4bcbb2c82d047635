package io.ringkv.versioning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringkv.versioning.DvvSet.Entry;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Concrete scenarios of {@link DvvSet}; the general laws are in {@link DvvSetPropertiesTest}. */
class DvvSetTest {
  private static final VersionVector NO_CONTEXT = VersionVector.empty();

  @Test
  void firstWriteGetsTheFirstDotOfItsCoordinator() {
    DvvSet<String> s = DvvSet.<String>empty().update(NO_CONTEXT, "v1", "a");

    assertThat(s.entries()).containsExactly(new Entry<>("a", 1, List.of("v1")));
    assertThat(s.context()).isEqualTo(vv("a", 1));
  }

  @Test
  void blindWriteBecomesASibling() {
    DvvSet<String> s = DvvSet.<String>empty().update(NO_CONTEXT, "v1", "a").update(NO_CONTEXT, "v2", "a");

    assertThat(s.values()).containsExactly("v2", "v1");
    assertThat(s.entries()).containsExactly(new Entry<>("a", 2, List.of("v2", "v1")));
  }

  @Test
  void writeReplacesOnlyTheValuesItsClientSaw() {
    DvvSet<String> v1 = DvvSet.<String>empty().update(NO_CONTEXT, "v1", "a");
    VersionVector peterRead = v1.context();
    DvvSet<String> v2 = v1.update(NO_CONTEXT, "v2", "a"); // Mary, blind

    DvvSet<String> v3 = v2.update(peterRead, "v3", "a"); // Peter saw v1 only

    assertThat(v3.entries()).containsExactly(new Entry<>("a", 3, List.of("v3", "v2")));
  }

  @Test
  void writeThatSawEverySiblingCollapsesThem() {
    DvvSet<String> siblings = DvvSet.<String>empty()
        .update(NO_CONTEXT, "x", "a")
        .sync(DvvSet.<String>empty().update(NO_CONTEXT, "y", "b"));

    DvvSet<String> resolved = siblings.update(siblings.context(), "z", "b");

    assertThat(siblings.values()).containsExactly("x", "y");
    assertThat(resolved.values()).containsExactly("z");
    assertThat(resolved.entries())
        .containsExactly(new Entry<>("a", 1, List.of()), new Entry<>("b", 2, List.of("z")));
  }

  @Test
  void concurrentWritesOnTwoReplicasBothSurviveSync() {
    DvvSet<String> base = DvvSet.<String>empty().update(NO_CONTEXT, "v0", "a");
    DvvSet<String> atA = base.update(base.context(), "fromA", "a");
    DvvSet<String> atB = base.update(base.context(), "fromB", "b"); // b had v0 replicated

    DvvSet<String> merged = atA.sync(atB);

    assertThat(merged.values()).containsExactly("fromA", "fromB");
    assertThat(merged).isEqualTo(atB.sync(atA));
  }

  @Test
  void deleteConcurrentWithAWriteKeepsBoth() {
    StoredValue x = StoredValue.of(bytes("x"), "text/plain", 1_000);
    DvvSet<StoredValue> replicated = DvvSet.<StoredValue>empty().update(NO_CONTEXT, x, "a");
    VersionVector read = replicated.context();

    DvvSet<StoredValue> deletedAtA = replicated.update(read, StoredValue.tombstone(2_000), "a");
    DvvSet<StoredValue> writtenAtB = replicated.update(read, StoredValue.of(bytes("y"), "text/plain", 1_500), "b");
    DvvSet<StoredValue> merged = deletedAtA.sync(writtenAtB);

    assertThat(merged.values()).extracting(StoredValue::isTombstone).containsExactly(true, false);
    DvvSet<StoredValue> rewritten = merged.update(merged.context(), StoredValue.of(bytes("z"), "", 3_000), "a");
    assertThat(rewritten.values()).containsExactly(StoredValue.of(bytes("z"), "", 3_000));
  }

  @Test
  void deleteThatSawEveryValueLeavesOnlyItsTombstone() {
    DvvSet<StoredValue> s = DvvSet.<StoredValue>empty()
        .update(NO_CONTEXT, StoredValue.of(bytes("x"), "", 1), "a")
        .update(NO_CONTEXT, StoredValue.of(bytes("y"), "", 2), "a");

    DvvSet<StoredValue> deleted = s.update(s.context(), StoredValue.tombstone(3), "a");

    assertThat(deleted.values()).containsExactly(StoredValue.tombstone(3));
  }

  @Test
  void contextFromANewerReplicaSupersedesValuesTheCoordinatorNeverHeld() {
    DvvSet<String> atA = DvvSet.<String>empty().update(NO_CONTEXT, "v1", "a").update(NO_CONTEXT, "v2", "a");
    DvvSet<String> atB = DvvSet.<String>empty().update(NO_CONTEXT, "w", "b"); // b missed a's writes
    VersionVector read = atA.sync(atB).context(); // the client read a and b

    DvvSet<String> written = atB.update(read, "z", "b");

    assertThat(written.entries())
        .containsExactly(new Entry<>("a", 2, List.of()), new Entry<>("b", 2, List.of("z")));
    assertThat(written.sync(atA).values()).containsExactly("z");
  }

  @Test
  void coordinatorMintsAboveTheCounterInTheContext() {
    DvvSet<String> local = DvvSet.<String>empty().update(NO_CONTEXT, "v1", "a");

    DvvSet<String> written = local.update(vv("a", 5), "v6", "a");

    assertThat(written.entries()).containsExactly(new Entry<>("a", 6, List.of("v6")));
  }

  @Test
  void syncReturnsTheMoreCompleteStateItself() {
    DvvSet<String> older = DvvSet.<String>empty().update(NO_CONTEXT, "v1", "a");
    DvvSet<String> newer = older.update(older.context(), "v2", "a").update(NO_CONTEXT, "w", "b");

    assertThat(newer.sync(older)).isSameAs(newer);
    assertThat(older.sync(newer)).isSameAs(newer);
    assertThat(newer.sync(DvvSet.empty())).isSameAs(newer);
  }

  @Test
  void descendsComparesClocksOnly() {
    DvvSet<String> a = DvvSet.<String>empty().update(NO_CONTEXT, "x", "a");
    DvvSet<String> b = DvvSet.<String>empty().update(NO_CONTEXT, "y", "b");

    assertThat(a.descends(DvvSet.empty())).isTrue();
    assertThat(a.descends(b)).isFalse();
    assertThat(b.descends(a)).isFalse();
    assertThat(a.sync(b).descends(a)).isTrue();
  }

  @Test
  void valuesAreOrderedByNodeThenNewestFirst() {
    DvvSet<String> s = DvvSet.ofEntries(List.of(
        new Entry<>("a", 4, List.of("a4", "a3")),
        new Entry<>("b", 1, List.of()),
        new Entry<>("c", 1, List.of("c1"))));

    assertThat(s.values()).containsExactly("a4", "a3", "c1");
    assertThat(s.valueCount()).isEqualTo(3);
    assertThat(s.context()).isEqualTo(VersionVector.of(Map.of("a", 4L, "b", 1L, "c", 1L)));
    assertThat(s).hasToString("[a:4 [a4, a3], b:1 [], c:1 [c1]]");
  }

  @Test
  void lwwKeepsTheGreatestNewestValueOfANodeAndEveryCounter() {
    DvvSet<Integer> s = DvvSet.ofEntries(List.of(
        new Entry<>("a", 4, List.of(5, 2)),
        new Entry<>("b", 1, List.of()),
        new Entry<>("c", 1, List.of(3))));

    assertThat(s.lww(Comparator.naturalOrder()).entries()).containsExactly(
        new Entry<>("a", 4, List.of(5)), new Entry<>("b", 1, List.of()), new Entry<>("c", 1, List.of()));
    assertThat(s.lww(Comparator.<Integer>naturalOrder().reversed()).entries()).containsExactly(
        new Entry<>("a", 4, List.of()), new Entry<>("b", 1, List.of()), new Entry<>("c", 1, List.of(3)));
  }

  @Test
  void lwwPrefersANodesNewestDotOverItsOlderValues() {
    DvvSet<Integer> s = DvvSet.ofEntries(List.of(new Entry<>("a", 2, List.of(1, 9))));

    assertThat(s.lww(Comparator.naturalOrder()).values()).containsExactly(1);
  }

  @Test
  void lwwLetsADeleteWinATieWithAWrite() {
    StoredValue write = StoredValue.of(bytes("x"), "text/plain", 7);
    StoredValue delete = StoredValue.tombstone(7);
    DvvSet<StoredValue> s = DvvSet.<StoredValue>empty()
        .update(NO_CONTEXT, write, "a")
        .sync(DvvSet.<StoredValue>empty().update(NO_CONTEXT, delete, "b"));

    assertThat(s.lww(StoredValue.LWW_ORDER).values()).containsExactly(delete);
  }

  @Test
  void lwwOfAtMostOneValueIsTheStateItself() {
    DvvSet<String> one = DvvSet.<String>empty().update(NO_CONTEXT, "x", "a");

    assertThat(one.lww(Comparator.naturalOrder())).isSameAs(one);
    assertThat(DvvSet.<String>empty().lww(Comparator.naturalOrder())).isSameAs(DvvSet.empty());
  }

  @Test
  void entriesRoundTripThroughOfEntries() {
    DvvSet<String> s = DvvSet.<String>empty()
        .update(NO_CONTEXT, "x", "b")
        .update(NO_CONTEXT, "y", "a")
        .update(NO_CONTEXT, "z", "b");

    assertThat(DvvSet.ofEntries(s.entries())).isEqualTo(s).hasSameHashCodeAs(s);
    assertThat(DvvSet.ofEntries(List.<Entry<String>>of())).isSameAs(DvvSet.empty());
  }

  @Test
  void ofEntriesRejectsBrokenInvariants() {
    Entry<String> a = new Entry<>("a", 1, List.of("x"));
    Entry<String> b = new Entry<>("b", 1, List.of("y"));

    assertThatThrownBy(() -> DvvSet.ofEntries(List.of(b, a))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> DvvSet.ofEntries(List.of(a, a))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> DvvSet.ofEntries(Arrays.asList(a, null)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void entryRejectsBrokenInvariants() {
    assertThatThrownBy(() -> new Entry<>("a", 0, List.of())).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Entry<>("a", 1, List.of("x", "y"))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Entry<>(null, 1, List.of())).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Entry<>("", 1, List.of())).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Entry<>("x".repeat(256), 1, List.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Entry<String>("a", 1, null)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Entry<>("a", 2, Arrays.asList("x", null)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void entriesAndValuesAreUnmodifiableSnapshots() {
    ArrayList<String> values = new ArrayList<>(List.of("x"));
    Entry<String> entry = new Entry<>("a", 1, values);
    values.add("y");
    DvvSet<String> s = DvvSet.ofEntries(List.of(entry));

    assertThat(entry.values()).containsExactly("x");
    assertThatThrownBy(() -> s.entries().get(0).values().add("z")).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> s.values().set(0, "z")).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> s.entries().clear()).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void updateRejectsBadArguments() {
    DvvSet<String> s = DvvSet.empty();

    assertThatThrownBy(() -> s.update(null, "x", "a")).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> s.update(NO_CONTEXT, null, "a")).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> s.update(NO_CONTEXT, "x", "")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> s.update(NO_CONTEXT, "x", "\uD800")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void counterOverflowFailsInsteadOfWrapping() {
    DvvSet<String> s = DvvSet.ofEntries(List.of(new Entry<>("a", Long.MAX_VALUE, List.of("x"))));

    assertThatThrownBy(() -> s.update(NO_CONTEXT, "y", "a")).isInstanceOf(ArithmeticException.class);
  }

  @Test
  void equalityIsStructural() {
    DvvSet<String> a = DvvSet.<String>empty().update(NO_CONTEXT, "x", "a");
    DvvSet<String> same = DvvSet.ofEntries(List.of(new Entry<>("a", 1, List.of("x"))));
    DvvSet<String> otherValue = DvvSet.ofEntries(List.of(new Entry<>("a", 1, List.of("y"))));
    DvvSet<String> superseded = DvvSet.ofEntries(List.of(new Entry<>("a", 1, List.of())));

    assertThat(a).isEqualTo(same).hasSameHashCodeAs(same);
    assertThat(a).isNotEqualTo(otherValue).isNotEqualTo(superseded).isNotEqualTo(DvvSet.empty());
  }

  static VersionVector vv(String node, long counter) {
    return VersionVector.of(Map.of(node, counter));
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
