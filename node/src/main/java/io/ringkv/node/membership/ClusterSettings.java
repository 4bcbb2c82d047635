package io.ringkv.node.membership;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.ringkv.coordinator.ConflictMode;
import io.ringkv.coordinator.Quorum;
import io.ringkv.coordinator.ReadRepair;

/**
 * Cluster-wide defaults every node applies, changed at runtime and spread by gossip. A change makes a
 * new version; of two settings with the same version (made concurrently on two nodes), the one whose
 * {@link #tieBreak()} string is greater wins everywhere, so all nodes end up with the same settings.
 *
 * @param version         increases with every change
 * @param n               replicas per key
 * @param r               default read quorum
 * @param w               default write quorum
 * @param sloppy          whether fallbacks stand in for down primaries by default
 * @param readRepair      default read repair mode
 * @param conflicts       how replicas reconcile concurrent writes
 * @param timeoutMs       default request timeout
 * @param tombstoneGraceMs how long a tombstone held by every primary is kept before it is reaped
 */
public record ClusterSettings(
        @JsonProperty("version") long version,
        @JsonProperty("n") int n,
        @JsonProperty("r") int r,
        @JsonProperty("w") int w,
        @JsonProperty("sloppy") boolean sloppy,
        @JsonProperty("read_repair") ReadRepair readRepair,
        @JsonProperty("conflicts") ConflictMode conflicts,
        @JsonProperty("timeout_ms") long timeoutMs,
        @JsonProperty("tombstone_grace_ms") long tombstoneGraceMs) {

    /** @throws IllegalArgumentException naming the first invalid setting */
    public ClusterSettings {
        new Quorum(n, r, w);
        if (readRepair == null || conflicts == null) {
            throw new IllegalArgumentException("read_repair and conflicts are required");
        }
        if (timeoutMs < 1 || timeoutMs > 600_000) {
            throw new IllegalArgumentException("timeout_ms must be between 1 and 600000, got " + timeoutMs);
        }
        if (tombstoneGraceMs < 0) {
            throw new IllegalArgumentException("tombstone_grace_ms must not be negative, got " + tombstoneGraceMs);
        }
    }

    public Quorum quorum() {
        return new Quorum(n, r, w);
    }

    /** True if {@code other} should replace these settings. */
    public boolean supersededBy(ClusterSettings other) {
        return other.version > version || (other.version == version && other.tieBreak().compareTo(tieBreak()) > 0);
    }

    /** A deterministic order between different settings of the same version. */
    String tieBreak() {
        return n + "/" + r + "/" + w + "/" + sloppy + "/" + readRepair + "/" + conflicts + "/" + timeoutMs + "/" + tombstoneGraceMs;
    }

    public ClusterSettings withVersion(long newVersion) {
        return new ClusterSettings(newVersion, n, r, w, sloppy, readRepair, conflicts, timeoutMs, tombstoneGraceMs);
    }
}
