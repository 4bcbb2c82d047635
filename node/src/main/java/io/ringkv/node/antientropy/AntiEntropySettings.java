package io.ringkv.node.antientropy;

/**
 * How a node runs anti-entropy.
 *
 * @param exchangeIntervalMs how often each partition this node holds is compared with each other replica
 *                           it starts exchanges with; also how long a replica must have been up (back)
 *                           before the first one, so hinted handoff goes first
 * @param keysPerSecond      keys compared or repaired per second, over all exchanges this node starts
 * @param concurrency        exchanges this node runs at once; 0 starts none (it still keeps its trees and
 *                           answers the exchanges its peers start)
 * @param rebuildIntervalMs  how old a tree may get before it is rebuilt from a full scan, which catches
 *                           whatever incremental updates missed (silent corruption of the data on disk)
 */
public record AntiEntropySettings(long exchangeIntervalMs, int keysPerSecond, int concurrency, long rebuildIntervalMs) {

    /** @throws IllegalArgumentException naming the first setting out of range */
    public AntiEntropySettings {
        if (exchangeIntervalMs < 1) {
            throw new IllegalArgumentException("the exchange interval must be at least 1 ms: " + exchangeIntervalMs);
        }
        if (keysPerSecond < 1) {
            throw new IllegalArgumentException("keys per second must be at least 1: " + keysPerSecond);
        }
        if (concurrency < 0) {
            throw new IllegalArgumentException("concurrency must not be negative: " + concurrency);
        }
        if (rebuildIntervalMs < 1) {
            throw new IllegalArgumentException("the rebuild interval must be at least 1 ms: " + rebuildIntervalMs);
        }
    }
}
