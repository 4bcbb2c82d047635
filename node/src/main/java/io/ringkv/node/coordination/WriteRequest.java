package io.ringkv.node.coordination;

import io.ringkv.versioning.StoredValue;
import io.ringkv.versioning.VersionVector;

/**
 * A validated client write or delete.
 *
 * @param contextToken the context as the client sent it, "" for none; forwarded as is
 * @param value        the value, or a tombstone for a delete
 * @param forwarded    true when another node forwarded it here to be coordinated
 */
public record WriteRequest(String key, VersionVector context, String contextToken, StoredValue value, int w,
                           boolean sloppy, long timeoutMs, boolean forwarded) {
}
