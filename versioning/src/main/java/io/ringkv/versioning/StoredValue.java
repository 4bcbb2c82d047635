package io.ringkv.versioning;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Objects;

/**
 * One version of a key's value as ringkv stores it in a {@link DvvSet}: the bytes a client wrote,
 * their content type and the coordinator's wall-clock time of the write; or a tombstone, which
 * records a delete so that it supersedes the values it saw and stays a sibling of those it did not.
 *
 * <p>Immutable; equal when every field is. The timestamp does not take part in causality, which
 * the dots of the enclosing {@link DvvSet} decide; it only orders values for last-writer-wins
 * ({@link #LWW_ORDER}) and tells operators when a write happened.
 */
public final class StoredValue {
  /** The longest content type, in UTF-8 bytes. */
  public static final int MAX_CONTENT_TYPE_BYTES = 255;

  /**
   * Last-writer-wins order, total and the same on every node: the later timestamp is greater; at
   * equal timestamps a tombstone is greater than a value, so a delete in the same millisecond as a
   * write wins; then the bytes in unsigned lexicographic order; then the content type. Consistent
   * with {@link #equals}.
   */
  public static final Comparator<StoredValue> LWW_ORDER = StoredValue::compareLww;

  private static final byte[] NO_BYTES = {};

  private final byte[] bytes;
  private final String contentType;
  private final long timestampMillis;
  private final boolean tombstone;
  private int hash; // 0 until computed; racy but idempotent, like String's

  private StoredValue(byte[] bytes, String contentType, long timestampMillis, boolean tombstone) {
    this.bytes = bytes;
    this.contentType = contentType;
    this.timestampMillis = timestampMillis;
    this.tombstone = tombstone;
  }

  /**
   * Returns a value holding a copy of {@code bytes}.
   *
   * @param bytes the value, possibly empty (an empty value is not a tombstone)
   * @param contentType the media type clients gave, possibly empty; at most {@value
   *     #MAX_CONTENT_TYPE_BYTES} bytes of well-formed UTF-8
   * @param timestampMillis when the coordinator took the write, in milliseconds since the epoch
   * @throws IllegalArgumentException if the content type or timestamp is out of range
   */
  public static StoredValue of(byte[] bytes, String contentType, long timestampMillis) {
    Objects.requireNonNull(bytes, "bytes");
    Objects.requireNonNull(contentType, "contentType");
    int length = Utf8.encodedLength(contentType);
    if (length < 0 || length > MAX_CONTENT_TYPE_BYTES) {
      throw new IllegalArgumentException("content type must be at most " + MAX_CONTENT_TYPE_BYTES
          + " bytes of well-formed UTF-8: \"" + contentType + '"');
    }
    return new StoredValue(bytes.clone(), contentType, requireTimestamp(timestampMillis), false);
  }

  /**
   * Returns the tombstone of a delete taken at {@code timestampMillis}: no bytes, and an empty
   * content type.
   *
   * @throws IllegalArgumentException if the timestamp is negative
   */
  public static StoredValue tombstone(long timestampMillis) {
    return new StoredValue(NO_BYTES, "", requireTimestamp(timestampMillis), true);
  }

  /** For the decoder, which has validated the fields and hands over a fresh array. */
  static StoredValue trusted(byte[] bytes, String contentType, long timestampMillis) {
    return new StoredValue(bytes, contentType, timestampMillis, false);
  }

  private static long requireTimestamp(long timestampMillis) {
    if (timestampMillis < 0) {
      throw new IllegalArgumentException("timestamp must be >= 0: " + timestampMillis);
    }
    return timestampMillis;
  }

  /** Returns a copy of the value's bytes; empty for a tombstone. */
  public byte[] bytes() {
    return bytes.length == 0 ? NO_BYTES : bytes.clone();
  }

  /** Returns the number of bytes, without copying them. */
  public int length() {
    return bytes.length;
  }

  /** Returns a read-only view of the bytes, for writing them out without a copy. */
  public ByteBuffer asReadOnlyBuffer() {
    return ByteBuffer.wrap(bytes).asReadOnlyBuffer();
  }

  /** The bytes themselves, for the encoder; never to be written to. */
  byte[] rawBytes() {
    return bytes;
  }

  /** Returns the content type; empty for a tombstone. */
  public String contentType() {
    return contentType;
  }

  /** Returns when the coordinator took the write or delete, in milliseconds since the epoch. */
  public long timestampMillis() {
    return timestampMillis;
  }

  /** Returns whether this marks a delete. */
  public boolean isTombstone() {
    return tombstone;
  }

  private static int compareLww(StoredValue a, StoredValue b) {
    int c = Long.compare(a.timestampMillis, b.timestampMillis);
    if (c == 0) {
      c = Boolean.compare(a.tombstone, b.tombstone);
    }
    if (c == 0) {
      c = Arrays.compareUnsigned(a.bytes, b.bytes);
    }
    return c != 0 ? c : a.contentType.compareTo(b.contentType);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof StoredValue other
        && timestampMillis == other.timestampMillis
        && tombstone == other.tombstone
        && contentType.equals(other.contentType)
        && Arrays.equals(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    int h = hash;
    if (h == 0) {
      h = Objects.hash(timestampMillis, tombstone, contentType) * 31 + Arrays.hashCode(bytes);
      hash = h;
    }
    return h;
  }

  /** Describes the value without its bytes, which may be large or binary. */
  @Override
  public String toString() {
    return tombstone
        ? "StoredValue[tombstone @" + timestampMillis + ']'
        : "StoredValue[" + bytes.length + " bytes, " + contentType + " @" + timestampMillis + ']';
  }
}
