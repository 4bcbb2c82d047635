package io.ringkv.node.membership;

import io.ringkv.coordinator.ConflictMode;
import io.ringkv.coordinator.ReadRepair;
import io.ringkv.node.security.Role;
import io.ringkv.node.security.User;
import io.ringkv.node.security.Users;
import io.ringkv.ring.Ring;
import io.ringkv.ring.Transition;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class MetadataGossipTest {

    private static final ClusterSettings SETTINGS =
            new ClusterSettings(1, 3, 2, 2, true, ReadRepair.ASYNC, ConflictMode.SIBLINGS, 5000, 1000);

    private static Peer peer(String node) {
        return new Peer(node, "127.0.0.1", 7070, 7071);
    }

    @Test
    void theClaimantAdmitsAJoiningNodeByATransitionAndEveryNodeFlipsWhenAllHandoffsAreDone() {
        Ring start = Ring.create(16, List.of("a", "b"), 2);
        ClusterState claimant = new ClusterState("a", start, SETTINGS);
        ClusterState other = new ClusterState("b", start, SETTINGS);
        Map<String, Peer> live = Map.of("a", peer("a"), "b", peer("b"), "c", peer("c"));
        claimant.setLive(live);
        other.setLive(live);
        List<String> published = new ArrayList<>();
        MetadataGossip gossip = new MetadataGossip(claimant, published::add, true);

        ClusterState joiner = new ClusterState("c", null, SETTINGS.withVersion(0));
        List<String> fromJoiner = new ArrayList<>();
        new MetadataGossip(joiner, fromJoiner::add, true).tick();
        assertThat(fromJoiner.get(0)).contains("\"join\":\"c\"");

        gossip.receive(fromJoiner.get(0), Optional.empty());
        // Data moves before ownership: the ring is unchanged until every source has handed off.
        assertThat(claimant.ring()).isEqualTo(start);
        Transition t = claimant.transition();
        assertThat(t.next().members()).containsExactly("a", "b", "c");
        assertThat(t.next().version()).isEqualTo(start.version() + 1);

        MetadataGossip joinerGossip = new MetadataGossip(joiner, m -> { }, true);
        MetadataGossip otherGossip = new MetadataGossip(other, m -> { }, true);
        joinerGossip.receive(published.get(published.size() - 1), Optional.empty());
        otherGossip.receive(published.get(published.size() - 1), Optional.empty());
        assertThat(joiner.settings()).isEqualTo(SETTINGS);
        assertThat(joiner.transition()).isEqualTo(t);
        assertThat(joiner.inRing()).isFalse();
        List<String> fromJoinerNow = new ArrayList<>();
        new MetadataGossip(joiner, fromJoinerNow::add, true).tick();
        assertThat(fromJoinerNow.get(0)).as("an admitted node stops asking").doesNotContain("\"join\"");

        // Each side reports its own handoffs done; gossip merges them, and both flip at the last one.
        for (Transition.Source s : t.sources(start)) {
            (s.node().equals("a") ? claimant : other).markDone(s);
        }
        List<String> fromOther = new ArrayList<>();
        new MetadataGossip(other, fromOther::add, true).tick();
        gossip.receive(fromOther.get(0), Optional.empty());
        assertThat(claimant.ring()).isEqualTo(t.next());
        assertThat(claimant.transition()).isNull();
        published.clear();
        gossip.tick();
        otherGossip.receive(published.get(0), Optional.empty());
        joinerGossip.receive(published.get(0), Optional.empty());
        assertThat(other.ring()).isEqualTo(t.next());
        assertThat(joiner.inRing()).isTrue();
    }

    @Test
    void aNodeThatLeftOrWaitsForAnOperatorDoesNotAskToJoin() {
        Ring ring = Ring.create(16, List.of("a", "b", "c"), 2);
        ClusterState leaving = new ClusterState("c", ring, SETTINGS);
        leaving.offerRing(Ring.of(ring.version() + 1, ring.leave("c", 2).owners()));
        assertThat(leaving.departed()).isTrue();
        List<String> sent = new ArrayList<>();
        new MetadataGossip(leaving, sent::add, true).tick();
        assertThat(sent.get(0)).doesNotContain("\"join\"");

        ClusterState waiting = new ClusterState("d", null, SETTINGS);
        waiting.offerRing(ring);
        new MetadataGossip(waiting, sent::add, false).tick();
        assertThat(sent.get(1)).doesNotContain("\"join\"");
        new MetadataGossip(waiting, sent::add, true).tick();
        assertThat(sent.get(2)).contains("\"join\":\"d\"");
    }

    @Test
    void onlyTheClaimantAdmits() {
        ClusterState notClaimant = new ClusterState("b", Ring.create(16, List.of("a", "b"), 2), SETTINGS);
        notClaimant.setLive(Map.of("a", peer("a"), "b", peer("b")));
        new MetadataGossip(notClaimant, m -> { }, true).admit("c");
        assertThat(notClaimant.ring().members()).containsExactly("a", "b");
        assertThat(notClaimant.transition()).isNull();
    }

    @Test
    void olderOrInvalidMetadataIsIgnored() {
        Ring ring = Ring.create(16, List.of("a", "b"), 2).join("c", 2);
        ClusterState state = new ClusterState("a", ring, SETTINGS.withVersion(5));
        MetadataGossip gossip = new MetadataGossip(state, m -> { }, true);
        gossip.receive("{\"from\":\"x\",\"ring\":{\"version\":1,\"owners\":[\"a\"]},\"settings\":"
                + "{\"version\":4,\"n\":1,\"r\":1,\"w\":1,\"sloppy\":false,\"read_repair\":\"SYNC\",\"conflicts\":\"LWW\","
                + "\"timeout_ms\":10,\"tombstone_grace_ms\":0}}", Optional.empty());
        gossip.receive("not json", Optional.empty());
        gossip.receive("{\"ring\":{\"version\":99,\"owners\":[\"a\",\"b\",\"c\"]}}", Optional.empty());
        assertThat(state.ring()).isEqualTo(ring);
        assertThat(state.settings().version()).isEqualTo(5);
    }

    @Test
    void settingsOfTheSameVersionResolveTheSameWayEverywhere() {
        ClusterSettings one = new ClusterSettings(7, 3, 1, 3, true, ReadRepair.ASYNC, ConflictMode.SIBLINGS, 5000, 1000);
        ClusterSettings two = new ClusterSettings(7, 3, 3, 1, true, ReadRepair.ASYNC, ConflictMode.SIBLINGS, 5000, 1000);
        assertThat(one.supersededBy(two)).isNotEqualTo(two.supersededBy(one));
    }

    @Test
    void aSignedMessageCountsOnlyWhenItIsFromItsSigner() {
        Ring ring = Ring.create(16, List.of("a", "b"), 2);
        ClusterState state = new ClusterState("a", ring, SETTINGS);
        MetadataGossip gossip = new MetadataGossip(state, m -> { }, true);
        String newer = "{\"from\":\"b\",\"ring\":{\"version\":" + (ring.version() + 1)
                + ",\"owners\":" + ringOwnersJson(ring) + "}}";
        gossip.receive(newer, Optional.of("c"));
        assertThat(state.ring().version()).as("c signed what claims to be from b").isEqualTo(ring.version());
        gossip.receive(newer, Optional.of("b"));
        assertThat(state.ring().version()).isEqualTo(ring.version() + 1);
    }

    private static String ringOwnersJson(Ring ring) {
        return ring.owners().stream().map(o -> "\"" + o + "\"").collect(Collectors.joining(",", "[", "]"));
    }

    @Test
    void aRingOfAnotherPartitionCountIsIgnoredWhateverItsVersion() {
        Ring ring = Ring.create(16, List.of("a", "b"), 2);
        ClusterState state = new ClusterState("a", ring, SETTINGS);
        MetadataGossip gossip = new MetadataGossip(state, m -> { }, true);
        gossip.receive("{\"from\":\"b\",\"ring\":{\"version\":" + Long.MAX_VALUE + ",\"owners\":[\"b\"]}}",
                Optional.of("b"));
        assertThat(state.ring()).isEqualTo(ring);
    }

    @Test
    void gossipCarriesOnlyADigestOfTheUsersAndAskedForThemWhenASignerDiffers() {
        Ring ring = Ring.create(16, List.of("a", "b"), 2);
        ClusterState a = new ClusterState("a", ring, SETTINGS);
        a.offerUsers(Users.NONE.with(new User("alice", "$argon2id$secret-hash", Set.of(Role.READ), "")));
        List<String> published = new ArrayList<>();
        new MetadataGossip(a, published::add, true).tick();
        assertThat(published).singleElement().asString().doesNotContain("argon2").doesNotContain("alice")
                .contains(a.users().digest());

        List<String> asked = new ArrayList<>();
        MetadataGossip b = new MetadataGossip(new ClusterState("b", ring, SETTINGS), m -> { }, true, asked::add);
        b.receive(published.get(0), Optional.empty());
        assertThat(asked).as("unsigned gossip asks for nothing").isEmpty();
        b.receive(published.get(0), Optional.of("a"));
        assertThat(asked).containsExactly("a");
    }
}
