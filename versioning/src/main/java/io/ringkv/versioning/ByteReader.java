package io.ringkv.versioning;

import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * Reads one codec frame written by {@link ByteWriter}, refusing anything that is not the
 * canonical encoding: every method checks a length against the bytes that remain before it
 * allocates, so a forged length cannot make a decoder allocate more than its input.
 *
 * <p>The frame is validated as a whole on {@link #open} (magic, version, CRC32C), then read
 * field by field; {@link #expectEnd} makes sure nothing is left between the body and the trailer.
 */
final class ByteReader {
  private static final int MAX_VARINT_BYTES = 9; // 9 x 7 bits hold any non-negative long

  private final byte[] buffer;
  private final int limit; // where the CRC32C trailer starts
  private int position;

  private ByteReader(byte[] buffer) {
    this.buffer = buffer;
    this.limit = buffer.length - 4;
    this.position = 2;
  }

  /** Checks the frame's magic byte, version and checksum; the reader starts at the body. */
  static ByteReader open(byte[] bytes, byte magic, byte version, String what)
      throws FormatException {
    if (bytes.length < ByteWriter.FRAME_OVERHEAD) {
      throw new FormatException(what + " too short: " + bytes.length + " bytes");
    }
    if (bytes[0] != magic) {
      throw new FormatException(
          String.format("not a %s: magic byte 0x%02x", what, bytes[0] & 0xFF));
    }
    if (bytes[1] != version) {
      throw new FormatException("unsupported " + what + " format version " + (bytes[1] & 0xFF));
    }
    int end = bytes.length - 4;
    CRC32C crc = new CRC32C();
    crc.update(bytes, 0, end);
    int stored = (bytes[end] & 0xFF) << 24 | (bytes[end + 1] & 0xFF) << 16
        | (bytes[end + 2] & 0xFF) << 8 | bytes[end + 3] & 0xFF;
    if ((int) crc.getValue() != stored) {
      throw new FormatException(what + " checksum mismatch");
    }
    return new ByteReader(bytes);
  }

  int remaining() {
    return limit - position;
  }

  int readByte() throws FormatException {
    if (position >= limit) {
      throw truncated();
    }
    return buffer[position++] & 0xFF;
  }

  /** Reads a minimal unsigned LEB128 varint of at most 63 bits, so the result is never negative. */
  long readVarint() throws FormatException {
    int start = position;
    long value = 0;
    for (int i = 0; i < MAX_VARINT_BYTES; i++) {
      int b = readByte();
      value |= (long) (b & 0x7F) << (7 * i);
      if ((b & 0x80) == 0) {
        if (b == 0 && i > 0) {
          throw new FormatException("non-minimal varint at byte " + start);
        }
        return value;
      }
    }
    throw new FormatException("varint longer than " + MAX_VARINT_BYTES + " bytes at byte " + start);
  }

  /** Reads a counter, which is at least 1. */
  long readCounter() throws FormatException {
    int start = position;
    long counter = readVarint();
    if (counter < 1) {
      throw new FormatException("counter " + counter + " below 1 at byte " + start);
    }
    return counter;
  }

  /**
   * Reads a count of items that each take at least {@code minBytesEach} bytes, so a count the
   * remaining input cannot hold is refused before anything is allocated for it.
   */
  int readCount(long max, int minBytesEach, String what) throws FormatException {
    int start = position;
    long count = readVarint();
    if (count > max) {
      throw new FormatException(what + " count " + count + " above " + max + " at byte " + start);
    }
    if (count > remaining() / minBytesEach) {
      throw new FormatException(what + " count " + count + " exceeds the input at byte " + start);
    }
    return (int) count;
  }

  /** Reads a length of at most {@code max} bytes that the remaining input holds. */
  int readLength(int max) throws FormatException {
    int start = position;
    long length = readVarint();
    if (length > max) {
      throw new FormatException("length " + length + " above " + max + " at byte " + start);
    }
    if (length > remaining()) {
      throw new FormatException("length " + length + " exceeds the input at byte " + start);
    }
    return (int) length;
  }

  /** Reads a length-prefixed, well-formed UTF-8 string of {@code minBytes..maxBytes} bytes. */
  String readString(int minBytes, int maxBytes, String what) throws FormatException {
    int start = position;
    int length = readLength(maxBytes);
    if (length < minBytes) {
      throw new FormatException(what + " shorter than " + minBytes + " bytes at byte " + start);
    }
    String s = Utf8.decode(buffer, position, length);
    if (s == null) {
      throw new FormatException(what + " is not well-formed UTF-8 at byte " + start);
    }
    position += length;
    return s;
  }

  /** Reads a length-prefixed byte string into a fresh array. */
  byte[] readBytes() throws FormatException {
    int length = readLength(Integer.MAX_VALUE);
    byte[] bytes = Arrays.copyOfRange(buffer, position, position + length);
    position += length;
    return bytes;
  }

  /** Fails unless the body was read to its last byte. */
  void expectEnd() throws FormatException {
    if (position != limit) {
      throw new FormatException(remaining() + " trailing bytes at byte " + position);
    }
  }

  private FormatException truncated() {
    return new FormatException("truncated at byte " + position);
  }
}
