/**
 * Replica synchronization, Dynamo section 4.7: Merkle trees per partition and the exchange that finds,
 * with data proportional to the difference, the keys two replicas of a partition disagree on.
 *
 * <ul>
 *   <li>{@link io.ringkv.antientropy.Segments}: the key space cut into 2^16 segments, the leaves of
 *       every tree; a partition is a contiguous run of them.
 *   <li>{@link io.ringkv.antientropy.EntryHash}: the stable 64-bit hash of one stored key and state.
 *   <li>{@link io.ringkv.antientropy.MerkleTree} over a {@link io.ringkv.antientropy.TreeShape}:
 *       kept up to date incrementally as writes land, rebuilt from a scan when it cannot be trusted;
 *       {@link io.ringkv.antientropy.MerkleTreeCodec} persists it.
 *   <li>{@link io.ringkv.antientropy.TreeDiff}: the descent from the roots to the differing leaves,
 *       one level per round trip; {@link io.ringkv.antientropy.SegmentListing} then names the differing
 *       keys of those leaves.
 *   <li>{@link io.ringkv.antientropy.Throttle}: the keys-per-second budget of background exchanges.
 * </ul>
 *
 * <p>Pure domain code: no I/O, no threads; time, the store and the network belong to the caller.
 */
package io.ringkv.antientropy;
