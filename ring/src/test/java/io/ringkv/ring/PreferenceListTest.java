package io.ringkv.ring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class PreferenceListTest {

  @Property
  void primariesAreTheFirstNDistinctOwnersClockwiseAndFallbacksTheRest(
      @ForAll("anyRings") Ring ring,
      @ForAll @IntRange(min = 0, max = 255) int anyPartition,
      @ForAll @IntRange(min = 1, max = 5) int n) {
    int partition = anyPartition % ring.partitionCount();
    PreferenceList list = ring.preferenceList(partition, n);
    List<String> walk = Naive.walk(ring, partition);
    int m = ring.members().size();

    assertThat(list.partition()).isEqualTo(partition);
    assertThat(list.primaries()).hasSize(Math.min(n, m)).doesNotHaveDuplicates();
    assertThat(list.primaries().get(0)).isEqualTo(ring.owner(partition));
    List<String> all = new ArrayList<>(list.primaries());
    all.addAll(list.fallbacks());
    assertThat(all).isEqualTo(walk).containsExactlyInAnyOrderElementsOf(ring.members());
  }

  /** Where the ring meets target_n the primaries are just the owners of the next n partitions. */
  @Property
  void onARingMeetingTargetNPrimariesAreTheNextNOwners(
      @ForAll("partitionCounts") int q,
      @ForAll @IntRange(min = 1, max = 16) int m,
      @ForAll @IntRange(min = 1, max = 5) int n,
      @ForAll @IntRange(min = 0, max = 255) int anyPartition) {
    m = Math.min(m, q);
    if (!Ring.isTargetNAchievable(q, m, n)) {
      return;
    }
    Ring ring = Ring.create(q, CreateTest.nodes(m), n);
    int partition = anyPartition % q;
    List<String> next = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      next.add(ring.owner((partition + i) % q));
    }
    assertThat(ring.preferenceList(partition, n).primaries()).isEqualTo(next);
  }

  @Property
  void keysUseTheirPartitionsList(@ForAll("anyRings") Ring ring, @ForAll String key) {
    assertThat(ring.preferenceList(key, 3))
        .isEqualTo(ring.preferenceList(ring.partitionOf(key), 3));
  }

  @Property
  void targetsUseUpNodesOnlyOnceEachAndHintForDownPrimaries(
      @ForAll("anyRings") Ring ring,
      @ForAll @IntRange(min = 0, max = 255) int anyPartition,
      @ForAll @IntRange(min = 1, max = 5) int n,
      @ForAll("downSets") Set<String> down,
      @ForAll boolean sloppy) {
    PreferenceList list = ring.preferenceList(anyPartition % ring.partitionCount(), n);
    List<Target> targets = list.targets(node -> !down.contains(node), sloppy);

    List<String> upPrimaries = list.primaries().stream().filter(p -> !down.contains(p)).toList();
    List<String> downPrimaries = list.primaries().stream().filter(down::contains).toList();
    long upFallbacks = list.fallbacks().stream().filter(f -> !down.contains(f)).count();
    assertThat(targets).extracting(Target::node).doesNotHaveDuplicates().noneMatch(down::contains);
    assertThat(targets).filteredOn(t -> !t.isHinted()).extracting(Target::node)
        .isEqualTo(upPrimaries);
    List<Target> hinted = targets.stream().filter(Target::isHinted).toList();
    if (!sloppy) {
      assertThat(hinted).isEmpty();
      return;
    }
    assertThat(hinted).hasSize((int) Math.min(downPrimaries.size(), upFallbacks));
    // Each down primary in turn gets the next unused up fallback, in preference order.
    List<String> upFallbackOrder =
        list.fallbacks().stream().filter(f -> !down.contains(f)).toList();
    for (int i = 0; i < hinted.size(); i++) {
      assertThat(hinted.get(i).hintFor()).isEqualTo(downPrimaries.get(i));
      assertThat(hinted.get(i).node()).isEqualTo(upFallbackOrder.get(i));
    }
  }

  @Test
  void aDownPrimaryKeepsItsPlaceInTheTargetOrder() {
    PreferenceList list = new PreferenceList(0, List.of("a", "b", "c"), List.of("d", "e"));
    assertThat(list.targets(node -> !node.equals("b") && !node.equals("d"), true))
        .containsExactly(new Target("a", null), new Target("e", "b"), new Target("c", null));
    assertThat(list.targets(node -> !node.equals("b"), false))
        .containsExactly(new Target("a", null), new Target("c", null));
    assertThat(list.targets(node -> false, true)).isEmpty();
  }

  @Test
  void fewerMembersThanNGiveFewerPrimaries() {
    Ring ring = Ring.create(8, List.of("x", "y"), 3);
    PreferenceList list = ring.preferenceList(0, 3);
    assertThat(list.primaries()).containsExactlyInAnyOrder("x", "y");
    assertThat(list.fallbacks()).isEmpty();
  }

  @Test
  void validatesArguments() {
    Ring ring = Ring.create(8, List.of("x", "y"), 2);
    assertThatThrownBy(() -> ring.preferenceList(8, 3))
        .isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> ring.preferenceList(-1, 3))
        .isInstanceOf(IndexOutOfBoundsException.class);
    assertThatIllegalArgumentException().isThrownBy(() -> ring.preferenceList(0, 0));
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new PreferenceList(0, List.of("a", "b"), List.of("b")));
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new PreferenceList(-1, List.of("a"), List.of()));
    assertThatIllegalArgumentException().isThrownBy(() -> new Target("a", "a"));
    assertThat(new Target("a", null).isHinted()).isFalse();
    assertThat(new Target("a", "b").isHinted()).isTrue();
  }

  @Test
  void listsAreImmutable() {
    List<String> primaries = new ArrayList<>(List.of("a"));
    PreferenceList list = new PreferenceList(0, primaries, List.of("b"));
    primaries.add("c");
    assertThat(list.primaries()).containsExactly("a");
    assertThatThrownBy(() -> list.fallbacks().add("c"))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  /** Arbitrary rings, balanced or not, over up to 6 nodes. */
  @Provide
  Arbitrary<Ring> anyRings() {
    return partitionCounts().flatMap(q -> Arbitraries.of("a", "b", "c", "d", "e", "f")
        .list().ofSize(q).map(owners -> Ring.of(1, owners)));
  }

  @Provide
  Arbitrary<Integer> partitionCounts() {
    return Arbitraries.of(8, 16, 32, 64, 128, 256);
  }

  @Provide
  Arbitrary<Set<String>> downSets() {
    return Arbitraries.of("a", "b", "c", "d", "e", "f").set();
  }
}
