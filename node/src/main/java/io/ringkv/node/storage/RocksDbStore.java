package io.ringkv.node.storage;

import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompressionType;
import org.rocksdb.DBOptions;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Slice;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The durable {@link Store}: one RocksDB database per node, one column family per {@link Space}.
 *
 * <p>Durability: every write goes through RocksDB's write-ahead log before {@link #put} returns, so an
 * acknowledged write survives the process being killed. With {@code fsync} on, the log is also synced
 * to disk on every write, so it survives a power loss, at a large cost in write latency; off (the
 * default), the operating system flushes the log in the background, as Cassandra's periodic commit log
 * and Riak's default bitcask/leveldb settings do.
 */
public final class RocksDbStore implements Store {

    static {
        RocksDB.loadLibrary();
    }

    private final RocksDB db;
    private final DBOptions dbOptions;
    private final ColumnFamilyOptions cfOptions;
    private final WriteOptions writeOptions;
    private final List<ColumnFamilyHandle> handles;
    private final Map<Space, ColumnFamilyHandle> families = new EnumMap<>(Space.class);

    /**
     * Opens (creating if needed) the database in {@code dir}.
     *
     * @throws StoreException if it cannot be opened, for example because another process holds its lock
     */
    public RocksDbStore(Path dir, boolean fsync) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new StoreException("cannot create data directory " + dir, e);
        }
        dbOptions = new DBOptions()
                .setCreateIfMissing(true)
                .setCreateMissingColumnFamilies(true)
                .setMaxBackgroundJobs(2)
                .setKeepLogFileNum(3);
        cfOptions = new ColumnFamilyOptions()
                .setCompressionType(CompressionType.LZ4_COMPRESSION)
                .optimizeLevelStyleCompaction();
        List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
        descriptors.add(new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, cfOptions));
        for (Space s : Space.values()) {
            descriptors.add(new ColumnFamilyDescriptor(s.name().toLowerCase().getBytes(StandardCharsets.UTF_8), cfOptions));
        }
        handles = new ArrayList<>();
        try {
            db = RocksDB.open(dbOptions, dir.toString(), descriptors, handles);
        } catch (RocksDBException e) {
            dbOptions.close();
            cfOptions.close();
            throw new StoreException("cannot open RocksDB in " + dir + ": " + e.getMessage(), e);
        }
        for (Space s : Space.values()) {
            families.put(s, handles.get(s.ordinal() + 1));
        }
        writeOptions = new WriteOptions().setSync(fsync);
    }

    @Override
    public byte[] get(Space space, byte[] key) {
        try {
            return db.get(families.get(space), key);
        } catch (RocksDBException e) {
            throw new StoreException("read failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void put(Space space, byte[] key, byte[] value) {
        try {
            db.put(families.get(space), writeOptions, key, value);
        } catch (RocksDBException e) {
            throw new StoreException("write failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void delete(Space space, byte[] key) {
        try {
            db.delete(families.get(space), writeOptions, key);
        } catch (RocksDBException e) {
            throw new StoreException("delete failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void write(List<Write> writes) {
        try (WriteBatch batch = new WriteBatch()) {
            for (Write w : writes) {
                if (w.value() == null) {
                    batch.delete(families.get(w.space()), w.key());
                } else {
                    batch.put(families.get(w.space()), w.key(), w.value());
                }
            }
            db.write(writeOptions, batch);
        } catch (RocksDBException e) {
            throw new StoreException("write failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void scan(Space space, byte[] prefix, Visitor visitor) {
        try (ReadOptions ro = new ReadOptions().setPrefixSameAsStart(false);
             RocksIterator it = db.newIterator(families.get(space), ro)) {
            for (it.seek(prefix); it.isValid(); it.next()) {
                byte[] key = it.key();
                if (!StorageKeys.startsWith(key, prefix) || !visitor.visit(key, it.value())) {
                    return;
                }
            }
            check(it);
        }
    }

    @Override
    public void scanRange(Space space, byte[] from, byte[] to, Visitor visitor) {
        scanRange(space, from, to, null, visitor);
    }

    private void scanRange(Space space, byte[] from, byte[] to, org.rocksdb.Snapshot snapshot, Visitor visitor) {
        try (Slice upper = new Slice(to);
             ReadOptions ro = new ReadOptions().setIterateUpperBound(upper).setSnapshot(snapshot);
             RocksIterator it = db.newIterator(families.get(space), ro)) {
            for (it.seek(from); it.isValid(); it.next()) {
                if (!visitor.visit(it.key(), it.value())) {
                    return;
                }
            }
            check(it);
        }
    }

    @Override
    public Store.Snapshot snapshot() {
        // Qualified: the inherited Store.Snapshot would shadow RocksDB's class of the same name.
        org.rocksdb.Snapshot snapshot = db.getSnapshot();
        return new Store.Snapshot() {
            private boolean released;

            @Override
            public void scanRange(Space space, byte[] from, byte[] to, Visitor visitor) {
                if (released) {
                    throw new IllegalStateException("snapshot already closed");
                }
                RocksDbStore.this.scanRange(space, from, to, snapshot, visitor);
            }

            @Override
            public void close() {
                if (!released) {
                    released = true;
                    db.releaseSnapshot(snapshot);
                }
            }
        };
    }

    private static void check(RocksIterator it) {
        try {
            it.status();
        } catch (RocksDBException e) {
            throw new StoreException("scan failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            db.syncWal();
        } catch (RocksDBException e) {
            // Closing anyway: the WAL was written, only the final fsync failed.
        }
        handles.forEach(ColumnFamilyHandle::close);
        db.close();
        writeOptions.close();
        cfOptions.close();
        dbOptions.close();
    }
}
