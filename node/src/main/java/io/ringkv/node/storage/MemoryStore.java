package io.ringkv.node.storage;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;

/** A {@link Store} in memory, for tests: same ordering and contract as the RocksDB store, no durability. */
public final class MemoryStore implements Store {

    private final Map<Space, ConcurrentSkipListMap<byte[], byte[]>> spaces = new EnumMap<>(Space.class);

    public MemoryStore() {
        for (Space s : Space.values()) {
            spaces.put(s, new ConcurrentSkipListMap<>(Arrays::compareUnsigned));
        }
    }

    @Override
    public byte[] get(Space space, byte[] key) {
        byte[] v = spaces.get(space).get(key);
        return v == null ? null : v.clone();
    }

    @Override
    public void put(Space space, byte[] key, byte[] value) {
        spaces.get(space).put(key.clone(), value.clone());
    }

    @Override
    public void delete(Space space, byte[] key) {
        spaces.get(space).remove(key);
    }

    /** In order; not atomic for concurrent readers, which the tests this store is for do not need. */
    @Override
    public void write(List<Write> writes) {
        for (Write w : writes) {
            if (w.value() == null) {
                delete(w.space(), w.key());
            } else {
                put(w.space(), w.key(), w.value());
            }
        }
    }

    @Override
    public void scan(Space space, byte[] prefix, Visitor visitor) {
        for (Map.Entry<byte[], byte[]> e : spaces.get(space).tailMap(prefix, true).entrySet()) {
            if (!StorageKeys.startsWith(e.getKey(), prefix) || !visitor.visit(e.getKey().clone(), e.getValue().clone())) {
                return;
            }
        }
    }

    @Override
    public void scanRange(Space space, byte[] from, byte[] to, Visitor visitor) {
        NavigableMap<byte[], byte[]> range = spaces.get(space).subMap(from, true, to, false);
        for (Map.Entry<byte[], byte[]> e : range.entrySet()) {
            if (!visitor.visit(e.getKey().clone(), e.getValue().clone())) {
                return;
            }
        }
    }

    /** A copy of every space: O(size), fine for the tests this store is for. */
    @Override
    public Snapshot snapshot() {
        Map<Space, NavigableMap<byte[], byte[]>> copy = new EnumMap<>(Space.class);
        spaces.forEach((space, data) -> copy.put(space, data.clone()));
        return new Snapshot() {
            @Override
            public void scanRange(Space space, byte[] from, byte[] to, Visitor visitor) {
                for (Map.Entry<byte[], byte[]> e : copy.get(space).subMap(from, true, to, false).entrySet()) {
                    if (!visitor.visit(e.getKey().clone(), e.getValue().clone())) {
                        return;
                    }
                }
            }

            @Override
            public void close() {
                copy.clear();
            }
        };
    }

    @Override
    public void close() {
        spaces.values().forEach(Map::clear);
    }
}
