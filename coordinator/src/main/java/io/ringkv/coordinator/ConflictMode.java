package io.ringkv.coordinator;

import io.ringkv.versioning.DvvSet;
import io.ringkv.versioning.StoredValue;
import io.ringkv.versioning.VersionVector;

/**
 * How a replica reconciles concurrent writes. The cluster has one mode; every replica applies it on
 * every update and merge so that all replicas converge on the same state.
 */
public enum ConflictMode {

    /** Concurrent writes are all kept as siblings until a write whose context saw them replaces them. */
    SIBLINGS {
        @Override
        public DvvSet<StoredValue> update(DvvSet<StoredValue> state, VersionVector context, StoredValue value,
                                          String node) {
            return state.update(context, value, node);
        }

        @Override
        public DvvSet<StoredValue> merge(DvvSet<StoredValue> a, DvvSet<StoredValue> b) {
            return a.sync(b);
        }
    },

    /**
     * Last writer wins by the coordinator's wall-clock timestamp, as Cassandra does and as Riak's
     * last_write_wins did: of concurrent writes only one survives, so acknowledged writes can be lost.
     * The clock still covers every dot, so a superseded value never comes back through a merge.
     */
    LWW {
        @Override
        public DvvSet<StoredValue> update(DvvSet<StoredValue> state, VersionVector context, StoredValue value,
                                          String node) {
            return state.update(context, value, node).lww(StoredValue.LWW_ORDER);
        }

        @Override
        public DvvSet<StoredValue> merge(DvvSet<StoredValue> a, DvvSet<StoredValue> b) {
            return a.sync(b).lww(StoredValue.LWW_ORDER);
        }
    };

    /** The state after coordinating replica {@code node} applies a client write made with {@code context}. */
    public abstract DvvSet<StoredValue> update(DvvSet<StoredValue> state, VersionVector context, StoredValue value,
                                               String node);

    /** The state that holds both replica states; commutative, associative and idempotent. */
    public abstract DvvSet<StoredValue> merge(DvvSet<StoredValue> a, DvvSet<StoredValue> b);
}
