package io.ringkv.versioning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class StoredValueTest {

  /** Values from a small domain, so that equal timestamps, bytes and content types are common. */
  @Provide
  Arbitrary<StoredValue> values() {
    Arbitrary<StoredValue> written = Combinators.combine(
            Arbitraries.bytes().between((byte) -2, (byte) 2).array(byte[].class).ofMaxSize(2),
            Arbitraries.of("", "text/plain", "application/json"),
            Arbitraries.longs().between(0, 3))
        .as(StoredValue::of);
    return Arbitraries.oneOf(written, Arbitraries.longs().between(0, 3).map(StoredValue::tombstone));
  }

  @Property
  void lwwOrderIsATotalOrderConsistentWithEquals(
      @ForAll("values") StoredValue a, @ForAll("values") StoredValue b, @ForAll("values") StoredValue c) {
    int ab = StoredValue.LWW_ORDER.compare(a, b);

    assertThat(Integer.signum(ab)).isEqualTo(-Integer.signum(StoredValue.LWW_ORDER.compare(b, a)));
    assertThat(ab == 0).isEqualTo(a.equals(b));
    if (ab <= 0 && StoredValue.LWW_ORDER.compare(b, c) <= 0) {
      assertThat(StoredValue.LWW_ORDER.compare(a, c)).isNotPositive();
    }
    if (a.equals(b)) {
      assertThat(a.hashCode()).isEqualTo(b.hashCode());
    }
  }

  @Test
  void lwwOrderPutsTheLaterTimestampFirstThenDeletesThenBytesThenContentType() {
    StoredValue early = StoredValue.of(new byte[] {9}, "z", 1);
    StoredValue late = StoredValue.of(new byte[] {1}, "a", 2);
    StoredValue deleteAtTheSameTime = StoredValue.tombstone(2);
    StoredValue highByte = StoredValue.of(new byte[] {(byte) 0xFF}, "a", 2);
    StoredValue laterContentType = StoredValue.of(new byte[] {1}, "b", 2);

    assertThat(StoredValue.LWW_ORDER.compare(late, early)).isPositive();
    assertThat(StoredValue.LWW_ORDER.compare(deleteAtTheSameTime, highByte)).isPositive();
    assertThat(StoredValue.LWW_ORDER.compare(highByte, late)).as("bytes compare unsigned").isPositive();
    assertThat(StoredValue.LWW_ORDER.compare(laterContentType, late)).isPositive();
  }

  @Test
  void bytesAreCopiedInAndOut() {
    byte[] original = {1, 2, 3};
    StoredValue v = StoredValue.of(original, "application/octet-stream", 42);
    original[0] = 9;
    v.bytes()[1] = 9;

    assertThat(v.bytes()).containsExactly(1, 2, 3);
    assertThat(v.length()).isEqualTo(3);
    assertThat(v.contentType()).isEqualTo("application/octet-stream");
    assertThat(v.timestampMillis()).isEqualTo(42);
    assertThat(v.isTombstone()).isFalse();
  }

  @Test
  void readOnlyBufferViewsTheBytesWithoutLettingThemChange() {
    StoredValue v = StoredValue.of(new byte[] {1, 2}, "", 0);
    ByteBuffer buffer = v.asReadOnlyBuffer();

    assertThat(buffer.remaining()).isEqualTo(2);
    assertThat(buffer.get(1)).isEqualTo((byte) 2);
    assertThatThrownBy(() -> buffer.put(0, (byte) 7)).isInstanceOf(ReadOnlyBufferException.class);
  }

  @Test
  void tombstoneHasNoBytesAndDiffersFromAnEmptyValue() {
    StoredValue tombstone = StoredValue.tombstone(5);

    assertThat(tombstone.isTombstone()).isTrue();
    assertThat(tombstone.bytes()).isEmpty();
    assertThat(tombstone.contentType()).isEmpty();
    assertThat(tombstone).isEqualTo(StoredValue.tombstone(5)).isNotEqualTo(StoredValue.of(new byte[0], "", 5));
    assertThat(tombstone).hasToString("StoredValue[tombstone @5]");
    assertThat(StoredValue.of(new byte[3], "text/plain", 5)).hasToString("StoredValue[3 bytes, text/plain @5]");
  }

  @Test
  void rejectsOutOfRangeFields() {
    assertThatThrownBy(() -> StoredValue.of(new byte[0], "t".repeat(256), 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> StoredValue.of(new byte[0], "\uDBFF", 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> StoredValue.of(new byte[0], "", -1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> StoredValue.tombstone(-1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> StoredValue.of(null, "", 0)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> StoredValue.of(new byte[0], null, 0)).isInstanceOf(NullPointerException.class);
    assertThat(StoredValue.of(new byte[0], "t".repeat(255), Long.MAX_VALUE).contentType()).hasSize(255);
  }
}
