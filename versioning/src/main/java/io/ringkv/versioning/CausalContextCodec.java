package io.ringkv.versioning;

import java.util.Base64;
import java.util.Objects;

/**
 * Turns a {@link VersionVector} into the opaque causal context clients carry between a read and
 * the write that follows it, and back. The string is URL-safe base64 without padding (RFC 4648
 * section 5), so it fits in a header, a query parameter or JSON without escaping.
 *
 * <p>Decoding is the boundary where untrusted input meets the store: it returns a valid vector or
 * throws {@link MalformedContextException}, never an unchecked exception, and it accepts only the
 * exact string {@link #encode} produces for some vector (canonical base64, canonical binary form).
 * The checksum makes a mistyped or truncated context fail loudly instead of decoding to another
 * context that would silently supersede the wrong siblings. It is not a signature: a client can
 * forge a context, and one with huge counters makes {@link DvvSet#update} carry them into the
 * stored clock; a deployment that does not trust its clients with that should authenticate
 * contexts around this codec.
 *
 * <p>Binary form, version 1 (varints are unsigned LEB128 in their shortest form, at most 63 bits):
 *
 * <pre>
 *   byte    magic 0xCC
 *   byte    format version 1
 *   varint  entry count, at most {@value #MAX_ENTRIES}
 *   entries, sorted by node id (String order), each:
 *     varint  node id length in bytes, 1..255
 *     bytes   node id, well-formed UTF-8
 *     varint  counter, at least 1
 *   4 bytes CRC32C (Castagnoli) of every byte before it, big-endian
 * </pre>
 */
public final class CausalContextCodec {
  /** The most entries (nodes) a context may have; far beyond any real replica set. */
  public static final int MAX_ENTRIES = 1024;

  private static final byte MAGIC = (byte) 0xCC;
  private static final byte VERSION = 1;
  private static final int MIN_ENTRY_BYTES = 3; // length, one id byte, counter
  private static final int MAX_BINARY_LENGTH =
      ByteWriter.FRAME_OVERHEAD + 2 + MAX_ENTRIES * (2 + NodeIds.MAX_UTF8_BYTES + 9);
  private static final int MAX_ENCODED_LENGTH = (MAX_BINARY_LENGTH * 4 + 2) / 3;
  private static final Base64.Encoder BASE64 = Base64.getUrlEncoder().withoutPadding();
  private static final String WHAT = "causal context";

  private CausalContextCodec() {}

  /**
   * Returns the opaque string for {@code context}.
   *
   * @throws IllegalArgumentException if the context has more than {@value #MAX_ENTRIES} entries
   */
  public static String encode(VersionVector context) {
    Objects.requireNonNull(context, "context");
    int n = context.size();
    if (n > MAX_ENTRIES) {
      throw new IllegalArgumentException("context has " + n + " entries, more than " + MAX_ENTRIES);
    }
    long size = ByteWriter.FRAME_OVERHEAD + ByteWriter.sizeOfVarint(n);
    for (int i = 0; i < n; i++) {
      size += ByteWriter.sizeOfString(Utf8.encodedLength(context.nodeAt(i)))
          + ByteWriter.sizeOfVarint(context.counterAt(i));
    }
    ByteWriter out = new ByteWriter(size, MAGIC, VERSION);
    out.writeVarint(n);
    for (int i = 0; i < n; i++) {
      String node = context.nodeAt(i);
      out.writeString(node, Utf8.encodedLength(node));
      out.writeVarint(context.counterAt(i));
    }
    return BASE64.encodeToString(out.finish());
  }

  /**
   * Returns the context {@code encoded} stands for.
   *
   * @param encoded a string from {@link #encode}; a client that has no context sends none, and the
   *     caller uses {@link VersionVector#empty()} (the empty string is not a valid encoding)
   * @throws MalformedContextException if {@code encoded} is not exactly what {@link #encode}
   *     returns for some context
   */
  public static VersionVector decode(String encoded) throws MalformedContextException {
    Objects.requireNonNull(encoded, "encoded");
    try {
      return decodeBinary(decodeBase64(encoded));
    } catch (FormatException e) {
      throw new MalformedContextException(e.getMessage());
    } catch (RuntimeException e) {
      // Unreachable when the checks above are complete; kept so that a gap in them still turns a
      // client's bad header into a 400, not a 500.
      throw new MalformedContextException("malformed " + WHAT, e);
    }
  }

  /** Base64 decoding that, unlike the JDK's, refuses padding and non-zero unused trailing bits. */
  private static byte[] decodeBase64(String encoded) throws FormatException {
    int length = encoded.length();
    if (length > MAX_ENCODED_LENGTH) {
      throw new FormatException(WHAT + " longer than " + MAX_ENCODED_LENGTH + " characters");
    }
    if (length % 4 == 1) {
      throw new FormatException(WHAT + " has an impossible base64 length " + length);
    }
    int last = 0;
    for (int i = 0; i < length; i++) {
      last = base64Digit(encoded.charAt(i));
      if (last < 0) {
        throw new FormatException(WHAT + " has a character outside URL-safe base64 at " + i);
      }
    }
    int unusedBits = length % 4 == 2 ? 0x0F : length % 4 == 3 ? 0x03 : 0;
    if ((last & unusedBits) != 0) {
      throw new FormatException(WHAT + " has non-zero unused base64 bits");
    }
    return Base64.getUrlDecoder().decode(encoded);
  }

  private static int base64Digit(char c) {
    if (c >= 'A' && c <= 'Z') {
      return c - 'A';
    }
    if (c >= 'a' && c <= 'z') {
      return c - 'a' + 26;
    }
    if (c >= '0' && c <= '9') {
      return c - '0' + 52;
    }
    return c == '-' ? 62 : c == '_' ? 63 : -1;
  }

  private static VersionVector decodeBinary(byte[] bytes) throws FormatException {
    ByteReader in = ByteReader.open(bytes, MAGIC, VERSION, WHAT);
    int n = in.readCount(MAX_ENTRIES, MIN_ENTRY_BYTES, "entry");
    String[] nodes = new String[n];
    long[] counters = new long[n];
    for (int i = 0; i < n; i++) {
      nodes[i] = in.readString(1, NodeIds.MAX_UTF8_BYTES, "node id");
      if (i > 0 && nodes[i - 1].compareTo(nodes[i]) >= 0) {
        throw new FormatException("node ids not sorted and unique at entry " + i);
      }
      counters[i] = in.readCounter();
    }
    in.expectEnd();
    return n == 0 ? VersionVector.empty() : new VersionVector(nodes, counters);
  }
}
