package io.ringkv.versioning;

/**
 * Input a codec was asked to decode is not a valid encoding: garbage, truncated, corrupted or of
 * an unknown format version. Checked because every caller decodes input it does not control and
 * must decide what a bad one means (a 400 for a client's context, a repair for a stored state).
 * The message says what is wrong and where; it never includes the input.
 */
public class CodecException extends Exception {
  protected CodecException(String message) {
    super(message);
  }

  protected CodecException(String message, Throwable cause) {
    super(message, cause);
  }
}
