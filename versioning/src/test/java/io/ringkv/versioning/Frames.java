package io.ringkv.versioning;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.zip.CRC32C;

/**
 * Hand-built codec frames with a valid checksum, so tests can reach each structural check the
 * checksum would otherwise stop first.
 */
final class Frames {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  private Frames() {}

  static Frames context() {
    return new Frames().bytes(0xCC, 1);
  }

  static Frames state() {
    return new Frames().bytes(0xD5, 1);
  }

  static Frames raw() {
    return new Frames();
  }

  Frames bytes(int... bytes) {
    for (int b : bytes) {
      out.write(b);
    }
    return this;
  }

  Frames bytes(byte[] bytes) {
    out.writeBytes(bytes);
    return this;
  }

  Frames varint(long value) {
    long v = value;
    while ((v & ~0x7FL) != 0) {
      out.write((int) (v & 0x7F | 0x80));
      v >>>= 7;
    }
    out.write((int) v);
    return this;
  }

  Frames string(String s) {
    byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
    return varint(utf8.length).bytes(utf8);
  }

  /** The frame so far followed by its CRC32C. */
  byte[] withCrc() {
    return appendCrc(out.toByteArray());
  }

  String withCrcBase64() {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(withCrc());
  }

  static byte[] appendCrc(byte[] body) {
    CRC32C crc = new CRC32C();
    crc.update(body);
    int c = (int) crc.getValue();
    byte[] framed = Arrays.copyOf(body, body.length + 4);
    framed[body.length] = (byte) (c >>> 24);
    framed[body.length + 1] = (byte) (c >>> 16);
    framed[body.length + 2] = (byte) (c >>> 8);
    framed[body.length + 3] = (byte) c;
    return framed;
  }
}
