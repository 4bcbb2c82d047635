package io.ringkv.coordinator;

/** When a read pushes the merged state to replicas that answered with an older one. */
public enum ReadRepair {
    /** After replying: the read is as fast as its R replies, stale replicas catch up in the background. */
    ASYNC,
    /**
     * Before replying: the read returns only once a write quorum holds the state it returns, so a later
     * read quorum cannot miss it. With r + w > n and sloppy quorums off this makes reads linearizable
     * for the multi-value register.
     */
    SYNC
}
