/**
 * Data versioning for ringkv (section 4.4 of the Dynamo paper): how replicas track causality
 * between writes of one key, keep concurrent writes as siblings and let a client's next write
 * supersede exactly the values it saw.
 *
 * <ul>
 *   <li>{@link io.ringkv.versioning.DvvSet}: the dotted version vector set a replica stores per
 *       key, with {@code update} (coordinate a write), {@code sync} (merge replicas) and {@code
 *       lww} (last-writer-wins resolution).
 *   <li>{@link io.ringkv.versioning.VersionVector}: the causal context a client reads and writes.
 *   <li>{@link io.ringkv.versioning.StoredValue}: a value or a delete's tombstone, as stored.
 *   <li>{@link io.ringkv.versioning.CausalContextCodec} and {@link
 *       io.ringkv.versioning.DvvSetCodec}: the opaque client context and the binary state format.
 * </ul>
 *
 * <p>Pure domain code: no I/O, no threads, no dependencies beyond the JDK. Every type is immutable
 * and safe to share between threads.
 */
package io.ringkv.versioning;
