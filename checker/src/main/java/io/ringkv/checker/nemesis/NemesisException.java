package io.ringkv.checker.nemesis;

/** A fault could not be injected or healed; the message says which and why. */
public class NemesisException extends RuntimeException {

    public NemesisException(String message) {
        super(message);
    }

    public NemesisException(String message, Throwable cause) {
        super(message, cause);
    }
}
