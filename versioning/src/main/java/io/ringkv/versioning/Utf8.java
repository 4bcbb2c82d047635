package io.ringkv.versioning;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Strict UTF-8 for node ids and content types.
 *
 * <p>The JDK's {@code String.getBytes} and {@code new String(bytes, UTF_8)} silently replace
 * malformed input, which would let two different strings share one encoding and break the round
 * trip the codecs promise; these methods refuse instead. They also size and write straight into a
 * caller's array, so encoding allocates nothing per string.
 */
final class Utf8 {
  private Utf8() {}

  /** Returns the UTF-8 length of {@code s}, or -1 if {@code s} holds an unpaired surrogate. */
  static int encodedLength(String s) {
    int length = 0;
    for (int i = 0, n = s.length(); i < n; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        length += 1;
      } else if (c < 0x800) {
        length += 2;
      } else if (!Character.isSurrogate(c)) {
        length += 3;
      } else if (Character.isHighSurrogate(c)
          && i + 1 < n
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        length += 4;
        i++;
      } else {
        return -1;
      }
    }
    return length;
  }

  /**
   * Writes {@code s} as UTF-8 at {@code offset} and returns the offset after it. {@code s} must be
   * well formed (see {@link #encodedLength}) and {@code dst} large enough.
   */
  static int encode(String s, byte[] dst, int offset) {
    int p = offset;
    for (int i = 0, n = s.length(); i < n; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        dst[p++] = (byte) c;
      } else if (c < 0x800) {
        dst[p++] = (byte) (0xC0 | c >>> 6);
        dst[p++] = (byte) (0x80 | c & 0x3F);
      } else if (!Character.isSurrogate(c)) {
        dst[p++] = (byte) (0xE0 | c >>> 12);
        dst[p++] = (byte) (0x80 | c >>> 6 & 0x3F);
        dst[p++] = (byte) (0x80 | c & 0x3F);
      } else {
        int cp = Character.toCodePoint(c, s.charAt(++i));
        dst[p++] = (byte) (0xF0 | cp >>> 18);
        dst[p++] = (byte) (0x80 | cp >>> 12 & 0x3F);
        dst[p++] = (byte) (0x80 | cp >>> 6 & 0x3F);
        dst[p++] = (byte) (0x80 | cp & 0x3F);
      }
    }
    return p;
  }

  /**
   * Decodes {@code length} bytes at {@code offset}, or returns {@code null} if they are not well
   * formed UTF-8 (overlong forms, encoded surrogates and code points above U+10FFFF included).
   */
  static String decode(byte[] src, int offset, int length) {
    for (int i = offset, end = offset + length; i < end; i++) {
      if (src[i] < 0) {
        return decodeStrict(src, offset, length);
      }
    }
    // Node ids and content types are nearly always ASCII, which Latin-1 decodes byte for byte
    // into a compact string, with no decoder to allocate.
    return new String(src, offset, length, StandardCharsets.ISO_8859_1);
  }

  private static String decodeStrict(byte[] src, int offset, int length) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(src, offset, length))
          .toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }
}
