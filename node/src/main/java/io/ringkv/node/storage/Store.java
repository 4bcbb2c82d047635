package io.ringkv.node.storage;

import java.util.List;

/**
 * A node's local, durable key-value storage, split into spaces. Blocking: call it from storage threads,
 * never from an event loop. Implementations are thread-safe; callers serialize writes of one key.
 */
public interface Store extends AutoCloseable {

    /** Separate key spaces; RocksDB keeps each in its own column family. */
    enum Space {
        /** Replica data: storage key to serialized sibling set. */
        DATA,
        /** Hinted handoff: writes held for a primary that was down. */
        HINTS,
        /** Node metadata: identity, ring, cluster settings. */
        META
    }

    /** Visits entries of a scan; return false to stop. */
    @FunctionalInterface
    interface Visitor {
        boolean visit(byte[] key, byte[] value);
    }

    /** The value stored under {@code key}, or null. */
    byte[] get(Space space, byte[] key);

    /** Stores {@code value} under {@code key}; durable per the store's sync policy when this returns. */
    void put(Space space, byte[] key, byte[] value);

    void delete(Space space, byte[] key);

    /** One change of a {@link #write} batch: stores {@code value} under {@code key}, or deletes the key if it is null. */
    record Write(Space space, byte[] key, byte[] value) {
    }

    /**
     * Applies {@code writes} in order, all or none; durable per the store's sync policy when this returns.
     * One batch costs one write to the log, however many changes it holds.
     */
    void write(List<Write> writes);

    /** Visits, in key order, the entries whose key starts with {@code prefix}, until the visitor returns false. */
    void scan(Space space, byte[] prefix, Visitor visitor);

    /** Visits, in key order, the entries with {@code from <= key < to}, until the visitor returns false. */
    void scanRange(Space space, byte[] from, byte[] to, Visitor visitor);

    /**
     * A read-only view of the whole store as it is at this instant: later writes are not seen through it.
     * Close it when done; it pins the data it sees (RocksDB keeps files a snapshot still reads).
     */
    Snapshot snapshot();

    /** A point-in-time view of a {@link Store}; see {@link Store#snapshot()}. */
    interface Snapshot extends AutoCloseable {
        /** As {@link Store#scanRange}, over the data as of the snapshot. */
        void scanRange(Space space, byte[] from, byte[] to, Visitor visitor);

        @Override
        void close();
    }

    @Override
    void close();
}
