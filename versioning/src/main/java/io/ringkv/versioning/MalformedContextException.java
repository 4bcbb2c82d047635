package io.ringkv.versioning;

/** A causal context a client sent is not one {@link CausalContextCodec} encoded. */
public final class MalformedContextException extends CodecException {
  public MalformedContextException(String message) {
    super(message);
  }

  public MalformedContextException(String message, Throwable cause) {
    super(message, cause);
  }
}
