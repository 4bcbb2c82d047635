package io.ringkv.versioning;

import java.util.Objects;

/**
 * The binary form of a key's {@link DvvSet} of {@link StoredValue}s, as replicas store it and send
 * it to each other. Versioned, so a later format can be read alongside this one, and checksummed,
 * so a torn write or flipped bit surfaces as {@link CorruptStateException} rather than as a
 * different state. Decoding accepts only the exact bytes {@link #encode} produces for some state.
 *
 * <p>Format version 1 (varints are unsigned LEB128 in their shortest form, at most 63 bits):
 *
 * <pre>
 *   byte    magic 0xD5
 *   byte    format version 1
 *   varint  entry count
 *   entries, sorted by node id (String order), each:
 *     varint  node id length in bytes, 1..255
 *     bytes   node id, well-formed UTF-8
 *     varint  counter, at least 1
 *     varint  value count, at most the counter
 *     values, newest dot first, each:
 *       byte    flags: 0x00 a value, 0x01 a tombstone; other bits reserved, must be 0
 *       varint  timestamp in milliseconds since the epoch
 *       and for a value only:
 *       varint  content type length in bytes, 0..255
 *       bytes   content type, well-formed UTF-8
 *       varint  value length in bytes
 *       bytes   value
 *   4 bytes CRC32C (Castagnoli) of every byte before it, big-endian
 * </pre>
 */
public final class DvvSetCodec {
  private static final byte MAGIC = (byte) 0xD5;
  private static final byte VERSION = 1;
  private static final int FLAG_TOMBSTONE = 0x01;
  private static final int MIN_ENTRY_BYTES = 4; // length, one id byte, counter, value count
  private static final int MIN_VALUE_BYTES = 2; // flags, timestamp
  private static final String WHAT = "replica state";

  private DvvSetCodec() {}

  /**
   * Returns the binary form of {@code state}.
   *
   * @throws IllegalArgumentException if the encoding would not fit in one array (2 GiB)
   */
  public static byte[] encode(DvvSet<StoredValue> state) {
    Objects.requireNonNull(state, "state");
    int n = state.entryCount();
    long size = ByteWriter.FRAME_OVERHEAD + ByteWriter.sizeOfVarint(n);
    for (int i = 0; i < n; i++) {
      Object[] values = state.valuesAt(i);
      size += ByteWriter.sizeOfString(Utf8.encodedLength(state.nodeAt(i)))
          + ByteWriter.sizeOfVarint(state.counterAt(i))
          + ByteWriter.sizeOfVarint(values.length);
      for (Object o : values) {
        StoredValue value = (StoredValue) o;
        size += 1 + ByteWriter.sizeOfVarint(value.timestampMillis());
        if (!value.isTombstone()) {
          size += ByteWriter.sizeOfString(Utf8.encodedLength(value.contentType()))
              + ByteWriter.sizeOfVarint(value.length()) + value.length();
        }
      }
    }
    ByteWriter out = new ByteWriter(size, MAGIC, VERSION);
    out.writeVarint(n);
    for (int i = 0; i < n; i++) {
      String node = state.nodeAt(i);
      Object[] values = state.valuesAt(i);
      out.writeString(node, Utf8.encodedLength(node));
      out.writeVarint(state.counterAt(i));
      out.writeVarint(values.length);
      for (Object o : values) {
        StoredValue value = (StoredValue) o;
        out.writeByte(value.isTombstone() ? FLAG_TOMBSTONE : 0);
        out.writeVarint(value.timestampMillis());
        if (!value.isTombstone()) {
          out.writeString(value.contentType(), Utf8.encodedLength(value.contentType()));
          out.writeBytes(value.rawBytes());
        }
      }
    }
    return out.finish();
  }

  /**
   * Returns the state {@code bytes} encode.
   *
   * @throws CorruptStateException if {@code bytes} are not exactly what {@link #encode} returns
   *     for some state
   */
  public static DvvSet<StoredValue> decode(byte[] bytes) throws CorruptStateException {
    Objects.requireNonNull(bytes, "bytes");
    try {
      return decodeChecked(bytes);
    } catch (FormatException e) {
      throw new CorruptStateException(e.getMessage());
    } catch (RuntimeException e) {
      // Unreachable when the checks are complete; kept so that a gap in them still reports
      // corruption the caller knows how to repair, instead of failing the read path.
      throw new CorruptStateException("corrupt " + WHAT, e);
    }
  }

  private static DvvSet<StoredValue> decodeChecked(byte[] bytes) throws FormatException {
    ByteReader in = ByteReader.open(bytes, MAGIC, VERSION, WHAT);
    int n = in.readCount(Integer.MAX_VALUE, MIN_ENTRY_BYTES, "entry");
    String[] nodes = new String[n];
    long[] counters = new long[n];
    Object[][] values = new Object[n][];
    for (int i = 0; i < n; i++) {
      nodes[i] = in.readString(1, NodeIds.MAX_UTF8_BYTES, "node id");
      if (i > 0 && nodes[i - 1].compareTo(nodes[i]) >= 0) {
        throw new FormatException("node ids not sorted and unique at entry " + i);
      }
      counters[i] = in.readCounter();
      int count = in.readCount(counters[i], MIN_VALUE_BYTES, "value");
      values[i] = new Object[count];
      for (int k = 0; k < count; k++) {
        values[i][k] = readValue(in);
      }
    }
    in.expectEnd();
    return n == 0 ? DvvSet.empty() : new DvvSet<>(nodes, counters, values);
  }

  private static StoredValue readValue(ByteReader in) throws FormatException {
    int flags = in.readByte();
    if ((flags & ~FLAG_TOMBSTONE) != 0) {
      throw new FormatException(String.format("reserved value flags set: 0x%02x", flags));
    }
    long timestampMillis = in.readVarint();
    if (flags == FLAG_TOMBSTONE) {
      return StoredValue.tombstone(timestampMillis);
    }
    String contentType = in.readString(0, StoredValue.MAX_CONTENT_TYPE_BYTES, "content type");
    return StoredValue.trusted(in.readBytes(), contentType, timestampMillis);
  }
}
