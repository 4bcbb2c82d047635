package io.ringkv.node.storage;

import io.ringkv.ring.Ring;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Collections;

import static org.assertj.core.api.Assertions.assertThat;

class StorageKeysTest {

    /** A key's data key lies in the storage range of its ring partition, for every partition count. */
    @Property
    void everyKeyLiesInItsPartitionsRange(@ForAll @StringLength(min = 1, max = 64) String key,
                                          @ForAll @IntRange(min = 0, max = 12) int bits) {
        int partitions = 1 << bits;
        int p = Ring.of(1, Collections.nCopies(partitions, "n")).partitionOf(key);
        byte[] data = StorageKeys.dataKey(key);
        assertThat(Arrays.compareUnsigned(data, StorageKeys.partitionStart(p, partitions))).isGreaterThanOrEqualTo(0);
        assertThat(Arrays.compareUnsigned(data, StorageKeys.partitionEnd(p, partitions))).isLessThan(0);
        assertThat(StorageKeys.userKey(data)).isEqualTo(key);
    }

    @Test
    void hintKeysNameTheirNodeAndKey() {
        byte[] hint = StorageKeys.hintKey("n2", "ключ");
        assertThat(StorageKeys.hintNode(hint)).isEqualTo("n2");
        assertThat(StorageKeys.hintUserKey(hint)).isEqualTo("ключ");
        assertThat(StorageKeys.startsWith(hint, StorageKeys.hintPrefix("n2"))).isTrue();
        assertThat(StorageKeys.startsWith(hint, StorageKeys.hintPrefix("n"))).isFalse();
    }
}
