package io.ringkv.ring;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The key-to-partition function. It decides where every stored key lives, so it is a stable
 * on-disk and wire contract: changing anything here strands existing data. See
 * {@link Ring#partitionOf(byte[])} for the definition.
 */
final class KeyHash {

  // MessageDigest is stateful and not thread-safe; one per thread avoids both locking and an
  // allocation per lookup on the request path.
  private static final ThreadLocal<MessageDigest> SHA1 = ThreadLocal.withInitial(KeyHash::sha1);

  private KeyHash() {}

  /** The first 8 bytes of SHA-1({@code key}), big-endian, as an unsigned 64-bit value. */
  static long hash64(byte[] key) {
    byte[] digest = SHA1.get().digest(key);
    long hash = 0;
    for (int i = 0; i < Long.BYTES; i++) {
      hash = (hash << 8) | (digest[i] & 0xFF);
    }
    return hash;
  }

  /** The top {@code bits} bits of {@code hash}: the partition among {@code 2^bits}. */
  static int partition(long hash, int bits) {
    return bits == 0 ? 0 : (int) (hash >>> (Long.SIZE - bits));
  }

  private static MessageDigest sha1() {
    try {
      return MessageDigest.getInstance("SHA-1");
    } catch (NoSuchAlgorithmException e) {
      // Every Java platform is required to provide SHA-1.
      throw new IllegalStateException("SHA-1 is not available", e);
    }
  }
}
