package io.ringkv.ring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The key-to-partition function is an on-disk contract: these values must never change. */
class PartitionOfTest {

  private static final Ring Q1 = Ring.create(1, List.of("a"), 1);
  private static final Ring Q64 = Ring.create(64, List.of("a"), 1);
  private static final Ring Q4096 = Ring.create(4096, List.of("a"), 1);

  /**
   * Frozen vectors. The first three hashes are the published SHA-1 test vectors' leading 8
   * bytes (FIPS 180, and the well-known digests of "" and the quick brown fox).
   */
  @ParameterizedTest
  @CsvSource(delimiter = '|', textBlock = """
      ''                                          | da39a3ee5e6b4b0d | 54 | 3491
      abc                                         | a9993e364706816a | 42 | 2713
      The quick brown fox jumps over the lazy dog | 2fd4e1c67a2d28fc | 11 |  765
      a                                           | 86f7e437faa5a7fc | 33 | 2159
      hello                                       | aaf4c61ddcc5e8a2 | 42 | 2735
      user:42                                     | adf14d23d3caa129 | 43 | 2783
      ключ                                        | b36af61a5d76b466 | 44 | 2870
      bucket/key-0001                             | 9fb305bcfbaf115f | 39 | 2555
      """)
  void frozenVectors(String key, String hashHex, int p64, int p4096) {
    byte[] utf8 = key.getBytes(StandardCharsets.UTF_8);
    assertThat(Ring.keyHash(utf8)).isEqualTo(Long.parseUnsignedLong(hashHex, 16));
    assertThat(Q64.partitionOf(key)).isEqualTo(p64);
    assertThat(Q64.partitionOf(utf8)).isEqualTo(p64);
    assertThat(Q4096.partitionOf(key)).isEqualTo(p4096);
    assertThat(Q1.partitionOf(key)).isZero();
  }

  @Test
  void keysOutsideTheBasicPlaneHashTheirUtf8Bytes() {
    String key = "\uD83D\uDD11"; // U+1F511, four bytes in UTF-8
    assertThat(key.getBytes(StandardCharsets.UTF_8)).hasSize(4);
    assertThat(Q64.partitionOf(key)).isEqualTo(6);
  }

  @Property
  void matchesTheDefinition(@ForAll byte[] key, @ForAll("partitionCounts") int q) throws Exception {
    byte[] digest = MessageDigest.getInstance("SHA-1").digest(key);
    BigInteger h = new BigInteger(1, Arrays.copyOf(digest, 8));
    BigInteger expected = h.multiply(BigInteger.valueOf(q)).shiftRight(64);
    assertThat(ring(q).partitionOf(key)).isEqualTo(expected.intValueExact());
    assertThat(Ring.keyHash(key)).isEqualTo(h.longValue());
  }

  @Property
  void stringKeysAreTheirUtf8Bytes(@ForAll String key, @ForAll("partitionCounts") int q) {
    Ring ring = ring(q);
    int p = ring.partitionOf(key);
    assertThat(p).isBetween(0, q - 1)
        .isEqualTo(ring.partitionOf(key.getBytes(StandardCharsets.UTF_8)));
  }

  /** Doubling Q splits every partition in two, so a key's partition halves back. */
  @Property
  void partitionsNest(@ForAll byte[] key, @ForAll("partitionCounts") int q) {
    if (q < Ring.MAX_PARTITIONS) {
      assertThat(ring(2 * q).partitionOf(key) >>> 1).isEqualTo(ring(q).partitionOf(key));
    }
  }

  @Test
  void spreadsKeysEvenly() {
    int keys = 64_000;
    int[] perPartition = new int[64];
    for (int i = 0; i < keys; i++) {
      perPartition[Q64.partitionOf("key-" + i)]++;
    }
    double mean = keys / 64.0;
    double chiSquare =
        Arrays.stream(perPartition).mapToDouble(c -> (c - mean) * (c - mean) / mean).sum();
    // 63 degrees of freedom: 110 is beyond the 99.9th percentile of the chi-square distribution.
    assertThat(chiSquare).isLessThan(110);
    assertThat(Arrays.stream(perPartition).min().orElseThrow()).isGreaterThan((int) (mean * 0.85));
    assertThat(Arrays.stream(perPartition).max().orElseThrow()).isLessThan((int) (mean * 1.15));
  }

  @Test
  void rejectsNullKeys() {
    assertThatNullPointerException().isThrownBy(() -> Q64.partitionOf((byte[]) null));
    assertThatNullPointerException().isThrownBy(() -> Q64.partitionOf((String) null));
  }

  @Provide
  Arbitrary<Integer> partitionCounts() {
    return Arbitraries.integers().between(0, 12).map(bits -> 1 << bits);
  }

  private static Ring ring(int q) {
    return Ring.create(q, List.of("a"), 1);
  }
}
