package io.ringkv.versioning;

/**
 * Why a byte string is not a valid encoding, raised by {@link ByteReader} and turned by each codec
 * into its public exception type. It carries no stack trace: decoding garbage is an expected,
 * possibly hostile, input, and the message (with the byte offset) is all a caller can use.
 */
final class FormatException extends Exception {
  FormatException(String message) {
    super(message, null, false, false);
  }
}
