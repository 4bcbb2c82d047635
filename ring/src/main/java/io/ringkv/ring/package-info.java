/**
 * Partitioning and replication, Dynamo sections 4.2 and 4.3: the consistent-hash
 * {@link io.ringkv.ring.Ring}, its {@link io.ringkv.ring.PreferenceList preference lists} with
 * fallbacks for sloppy quorums, and the {@link io.ringkv.ring.Transfer transfers} a ring change
 * calls for.
 *
 * <p>Pure domain code: no I/O, no threads, no dependencies beyond the JDK; every operation is a
 * deterministic function of its arguments, so nodes that compute the same change agree.
 *
 * <p>Inside, claim works on dense node ids (members in sorted order): {@code Stripe} lays out a
 * new ring, {@code Claim} runs joins and leaves (exact steps as flow problems in
 * {@code MaxFlow}), {@code Repair} and {@code SwapSearch} finish what the exact steps cannot,
 * and {@code TargetN} defines and counts target_n violations.
 */
package io.ringkv.ring;
