package io.ringkv.antientropy;

import io.ringkv.versioning.CodecException;

/**
 * Bytes are not a saved tree, a hash list or a segment listing as this module encodes them: truncated,
 * corrupted, or of an unknown format. A saved tree that fails to decode is rebuilt; a peer's answer that
 * fails to decode ends that exchange.
 */
public final class TreeDataException extends CodecException {
    public TreeDataException(String message) {
        super(message);
    }
}
