package io.ringkv.versioning;

import java.util.zip.CRC32C;

/**
 * Writes one codec frame into an array sized exactly in advance: callers add up the {@code
 * sizeOf} methods first, so encoding allocates the result once and never copies it to grow.
 *
 * <p>The frame is a magic byte and a format version byte, the body, then a big-endian CRC32C of
 * everything before it.
 */
final class ByteWriter {
  /** Magic byte, version byte and the four-byte CRC32C trailer. */
  static final int FRAME_OVERHEAD = 2 + 4;

  private final byte[] buffer;
  private int position;

  /** Starts a frame of {@code size} bytes in total, {@link #FRAME_OVERHEAD} included. */
  ByteWriter(long size, byte magic, byte version) {
    if (size > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException(
          "encoding would take " + size + " bytes, too large for one array");
    }
    buffer = new byte[(int) size];
    buffer[0] = magic;
    buffer[1] = version;
    position = 2;
  }

  /** Bytes an unsigned LEB128 varint of {@code value} takes, {@code value >= 0}. */
  static int sizeOfVarint(long value) {
    int bits = 64 - Long.numberOfLeadingZeros(value | 1);
    return (bits + 6) / 7;
  }

  /** Bytes a length-prefixed string takes, given its UTF-8 length. */
  static int sizeOfString(int utf8Length) {
    return sizeOfVarint(utf8Length) + utf8Length;
  }

  void writeByte(int b) {
    buffer[position++] = (byte) b;
  }

  /** Writes {@code value >= 0} as an unsigned LEB128 varint, the minimal form. */
  void writeVarint(long value) {
    long v = value;
    while ((v & ~0x7FL) != 0) {
      buffer[position++] = (byte) (v & 0x7F | 0x80);
      v >>>= 7;
    }
    buffer[position++] = (byte) v;
  }

  /** Writes a varint length, then the string, whose {@link Utf8#encodedLength} is given. */
  void writeString(String s, int utf8Length) {
    writeVarint(utf8Length);
    position = Utf8.encode(s, buffer, position);
  }

  /** Writes a varint length, then the bytes. */
  void writeBytes(byte[] bytes) {
    writeVarint(bytes.length);
    System.arraycopy(bytes, 0, buffer, position, bytes.length);
    position += bytes.length;
  }

  /** Appends the CRC32C trailer and returns the frame, which must now be exactly full. */
  byte[] finish() {
    CRC32C crc = new CRC32C();
    crc.update(buffer, 0, position);
    int checksum = (int) crc.getValue();
    writeByte(checksum >>> 24);
    writeByte(checksum >>> 16);
    writeByte(checksum >>> 8);
    writeByte(checksum);
    if (position != buffer.length) {
      throw new IllegalStateException("sized " + buffer.length + " bytes but wrote " + position);
    }
    return buffer;
  }
}
