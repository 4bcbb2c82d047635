package io.ringkv.node.membership;

import io.ringkv.coordinator.ConflictMode;
import io.ringkv.coordinator.ReadRepair;
import io.ringkv.ring.Ring;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class MetadataGossipTest {

    private static final ClusterSettings SETTINGS =
            new ClusterSettings(1, 3, 2, 2, true, ReadRepair.ASYNC, ConflictMode.SIBLINGS, 5000, 1000);

    private static Peer peer(String node) {
        return new Peer(node, "127.0.0.1", 7070, 7071);
    }

    @Test
    void theClaimantAdmitsAJoiningNodeAndEveryNodeAdoptsTheNewerRing() {
        ClusterState claimant = new ClusterState("a", Ring.create(16, List.of("a", "b"), 2), SETTINGS);
        claimant.setLive(Map.of("a", peer("a"), "b", peer("b"), "c", peer("c")));
        List<String> published = new ArrayList<>();
        MetadataGossip gossip = new MetadataGossip(claimant, published::add);

        ClusterState joiner = new ClusterState("c", null, SETTINGS.withVersion(0));
        List<String> fromJoiner = new ArrayList<>();
        new MetadataGossip(joiner, fromJoiner::add).tick();
        assertThat(fromJoiner.get(0)).contains("\"join\":\"c\"");

        gossip.receive(fromJoiner.get(0));
        assertThat(claimant.ring().members()).containsExactly("a", "b", "c");
        assertThat(claimant.ring().version()).isEqualTo(2);

        MetadataGossip joinerGossip = new MetadataGossip(joiner, m -> { });
        joinerGossip.receive(published.get(published.size() - 1));
        assertThat(joiner.inRing()).isTrue();
        assertThat(joiner.settings()).isEqualTo(SETTINGS);
    }

    @Test
    void onlyTheClaimantAdmits() {
        ClusterState notClaimant = new ClusterState("b", Ring.create(16, List.of("a", "b"), 2), SETTINGS);
        notClaimant.setLive(Map.of("a", peer("a"), "b", peer("b")));
        new MetadataGossip(notClaimant, m -> { }).admit("c");
        assertThat(notClaimant.ring().members()).containsExactly("a", "b");
    }

    @Test
    void olderOrInvalidMetadataIsIgnored() {
        Ring ring = Ring.create(16, List.of("a", "b"), 2).join("c", 2);
        ClusterState state = new ClusterState("a", ring, SETTINGS.withVersion(5));
        MetadataGossip gossip = new MetadataGossip(state, m -> { });
        gossip.receive("{\"from\":\"x\",\"ring\":{\"version\":1,\"owners\":[\"a\"]},\"settings\":"
                + "{\"version\":4,\"n\":1,\"r\":1,\"w\":1,\"sloppy\":false,\"read_repair\":\"SYNC\",\"conflicts\":\"LWW\","
                + "\"timeout_ms\":10,\"tombstone_grace_ms\":0}}");
        gossip.receive("not json");
        gossip.receive("{\"ring\":{\"version\":99,\"owners\":[\"a\",\"b\",\"c\"]}}");
        assertThat(state.ring()).isEqualTo(ring);
        assertThat(state.settings().version()).isEqualTo(5);
    }

    @Test
    void settingsOfTheSameVersionResolveTheSameWayEverywhere() {
        ClusterSettings one = new ClusterSettings(7, 3, 1, 3, true, ReadRepair.ASYNC, ConflictMode.SIBLINGS, 5000, 1000);
        ClusterSettings two = new ClusterSettings(7, 3, 3, 1, true, ReadRepair.ASYNC, ConflictMode.SIBLINGS, 5000, 1000);
        assertThat(one.supersededBy(two)).isNotEqualTo(two.supersededBy(one));
    }
}
