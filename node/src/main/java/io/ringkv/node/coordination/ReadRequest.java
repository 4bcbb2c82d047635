package io.ringkv.node.coordination;

import io.ringkv.coordinator.ReadRepair;

/** A validated client read. */
public record ReadRequest(String key, int r, int w, ReadRepair readRepair, boolean sloppy, long timeoutMs) {
}
