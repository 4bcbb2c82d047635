package io.ringkv.node.storage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Batch writes ({@link Store#write}) of both stores: in order, across spaces, and, for RocksDB, durable. */
class StoreWriteTest {

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static void writeAndCheck(Store store) {
        store.put(Store.Space.DATA, b("gone"), b("old"));
        store.write(List.of(
                new Store.Write(Store.Space.DATA, b("a"), b("1")),
                new Store.Write(Store.Space.DATA, b("a"), b("2")),
                new Store.Write(Store.Space.HINTS, b("a"), b("hint")),
                new Store.Write(Store.Space.DATA, b("gone"), null),
                new Store.Write(Store.Space.DATA, b("brief"), b("x")),
                new Store.Write(Store.Space.DATA, b("brief"), null)));
        assertThat(store.get(Store.Space.DATA, b("a"))).as("the later write of a key wins").isEqualTo(b("2"));
        assertThat(store.get(Store.Space.HINTS, b("a"))).isEqualTo(b("hint"));
        assertThat(store.get(Store.Space.DATA, b("gone"))).isNull();
        assertThat(store.get(Store.Space.DATA, b("brief"))).as("written, then deleted in the same batch").isNull();
    }

    @Test
    void memoryStoreAppliesABatchInOrder() {
        writeAndCheck(new MemoryStore());
    }

    @Test
    void rocksDbStoreAppliesABatchInOrderAndKeepsItAcrossARestart(@TempDir Path dir) {
        try (RocksDbStore store = new RocksDbStore(dir, false)) {
            writeAndCheck(store);
        }
        try (RocksDbStore reopened = new RocksDbStore(dir, false)) {
            assertThat(reopened.get(Store.Space.DATA, b("a"))).isEqualTo(b("2"));
            assertThat(reopened.get(Store.Space.HINTS, b("a"))).isEqualTo(b("hint"));
            assertThat(reopened.get(Store.Space.DATA, b("gone"))).isNull();
        }
    }
}
