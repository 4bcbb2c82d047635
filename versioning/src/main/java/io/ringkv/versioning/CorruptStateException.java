package io.ringkv.versioning;

/** Bytes read from storage or a replica are not a state {@link DvvSetCodec} encoded. */
public final class CorruptStateException extends CodecException {
  public CorruptStateException(String message) {
    super(message);
  }

  public CorruptStateException(String message, Throwable cause) {
    super(message, cause);
  }
}
