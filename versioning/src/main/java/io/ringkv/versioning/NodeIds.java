package io.ringkv.versioning;

/**
 * The rule every node id in this package obeys: a non-empty, well-formed string of at most
 * {@value #MAX_UTF8_BYTES} bytes in UTF-8. Checking it where ids enter (factories and
 * {@link DvvSet#update}) is what lets the codecs encode any clock without failing.
 */
final class NodeIds {
  /** The longest node id, in UTF-8 bytes; the codecs store the length in one byte's worth. */
  static final int MAX_UTF8_BYTES = 255;

  private NodeIds() {}

  /** Returns {@code id} if it is a valid node id, else throws {@link IllegalArgumentException}. */
  static String requireValid(String id) {
    if (id == null) {
      throw new IllegalArgumentException("node id is null");
    }
    int length = Utf8.encodedLength(id);
    if (length < 1 || length > MAX_UTF8_BYTES) {
      throw new IllegalArgumentException(
          "node id must be 1 to " + MAX_UTF8_BYTES + " bytes of well-formed UTF-8: \"" + id + '"');
    }
    return id;
  }
}
