package io.ringkv.versioning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringkv.versioning.DvvSet.Entry;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;

class DvvSetCodecTest {

  /** Reachable states, with varied values, tombstones, content types and timestamps. */
  @Provide
  Arbitrary<DvvSet<StoredValue>> states() {
    return History.histories(40).flatMap(h -> Arbitraries.integers().map(i -> StoredStates.of(h.state(i))));
  }

  @Property
  void roundTrips(@ForAll("states") DvvSet<StoredValue> state) throws Exception {
    assertThat(DvvSetCodec.decode(DvvSetCodec.encode(state))).isEqualTo(state);
  }

  @Property
  void randomBytesDoNotDecode(@ForAll byte[] garbage) {
    assertRejected(garbage);
  }

  @Property
  void truncatedStatesDoNotDecode(@ForAll("states") DvvSet<StoredValue> state, @ForAll int cut) {
    byte[] encoded = DvvSetCodec.encode(state);

    assertRejected(Arrays.copyOf(encoded, Math.floorMod(cut, encoded.length)));
  }

  @Property
  void statesWithOneBitFlippedDoNotDecode(@ForAll("states") DvvSet<StoredValue> state, @ForAll int bit) {
    byte[] encoded = DvvSetCodec.encode(state);
    int i = Math.floorMod(bit, encoded.length * 8);
    encoded[i / 8] ^= (byte) (1 << (i % 8));

    assertRejected(encoded);
  }

  @Property
  void statesWithBytesAppendedDoNotDecode(@ForAll("states") DvvSet<StoredValue> state, @ForAll byte[] extra) {
    byte[] encoded = DvvSetCodec.encode(state);
    byte[] longer = Arrays.copyOf(encoded, encoded.length + extra.length + 1);
    System.arraycopy(extra, 0, longer, encoded.length, extra.length);

    assertRejected(longer);
  }

  /** Garbage behind a valid frame exercises the parser itself; whatever it accepts is canonical. */
  @Property
  void anythingThatDecodesIsCanonical(@ForAll byte[] body) throws Exception {
    byte[] framed = Frames.state().bytes(body).withCrc();
    DvvSet<StoredValue> decoded;
    try {
      decoded = DvvSetCodec.decode(framed);
    } catch (CorruptStateException e) {
      assertThat(e).hasNoCause();
      return;
    }
    assertThat(DvvSetCodec.encode(decoded)).isEqualTo(framed);
  }

  @Test
  void roundTripsTheExtremes() throws Exception {
    DvvSet<StoredValue> state = DvvSet.ofEntries(List.of(
        new Entry<>("a", Long.MAX_VALUE, List.of(
            StoredValue.of(new byte[1 << 20], "t".repeat(255), Long.MAX_VALUE),
            StoredValue.tombstone(0),
            StoredValue.of(new byte[0], "", 0))),
        new Entry<>("é".repeat(127), 1, List.of()),
        new Entry<>("\uD83D\uDE80", 3, List.of(StoredValue.of(new byte[] {-1}, "ünï/cødé", 1)))));

    assertThat(DvvSetCodec.decode(DvvSetCodec.encode(state))).isEqualTo(state);
    assertThat(DvvSetCodec.decode(DvvSetCodec.encode(DvvSet.empty()))).isEqualTo(DvvSet.empty());
  }

  @Test
  void encodesCompactly() {
    DvvSet<StoredValue> state = DvvSet.<StoredValue>empty()
        .update(VersionVector.empty(), StoredValue.of(new byte[] {42}, "text/plain", 1_700_000_000_000L), "n1");

    // frame 6 + count 1 + id 3 + counter 1 + value count 1 + flags 1 + timestamp 6 + type 11 + bytes 2
    assertThat(DvvSetCodec.encode(state)).hasSize(32);
  }

  @Test
  void rejectsWrongFrames() {
    assertRejected(new byte[0]).hasMessageContaining("too short");
    assertRejected(Frames.raw().bytes(0xCC, 1).varint(0).withCrc()).hasMessageContaining("magic");
    assertRejected(Frames.raw().bytes(0xD5, 0).varint(0).withCrc()).hasMessageContaining("version");
    byte[] badCrc = Frames.state().varint(0).withCrc();
    badCrc[2] = 1;
    assertRejected(badCrc).hasMessageContaining("checksum");
  }

  @Test
  void rejectsBrokenEntries() {
    assertRejected(entries().string("b").varint(1).varint(0).string("a").varint(1).varint(0).withCrc())
        .hasMessageContaining("sorted");
    assertRejected(entries().string("a").varint(1).varint(0).string("a").varint(2).varint(0).withCrc())
        .hasMessageContaining("sorted");
    assertRejected(Frames.state().varint(1).string("a").varint(0).varint(0).withCrc()).hasMessageContaining("below 1");
    assertRejected(Frames.state().varint(1).string("a").varint(1).varint(2).bytes(1, 0, 1, 0).withCrc())
        .as("more values than dots").hasMessageContaining("above 1");
    assertRejected(Frames.state().varint(1).string("x".repeat(256)).varint(1).varint(0).withCrc())
        .hasMessageContaining("above 255");
    assertRejected(Frames.state().varint(1).varint(2).bytes(0xC3, 0x28).varint(1).varint(0).withCrc())
        .hasMessageContaining("UTF-8");
    assertRejected(Frames.state().varint(0).bytes(7).withCrc()).hasMessageContaining("trailing");
  }

  @Test
  void rejectsBrokenValues() {
    assertRejected(oneValue().bytes(0x02).varint(5).withCrc()).hasMessageContaining("reserved");
    assertRejected(oneValue().bytes(0x00).varint(5).string("t".repeat(256)).varint(0).withCrc())
        .hasMessageContaining("above 255");
    assertRejected(oneValue().bytes(0x00).varint(5).varint(1).bytes(0xFF).varint(0).withCrc())
        .hasMessageContaining("UTF-8");
    assertRejected(oneValue().bytes(0x00).varint(5).string("").varint(1000).bytes(1, 2, 3).withCrc())
        .hasMessageContaining("exceeds the input");
    assertRejected(oneValue().bytes(0x00).varint(5).string("").varint(Integer.MAX_VALUE + 1L).withCrc())
        .hasMessageContaining("above");
    assertRejected(oneValue().bytes(0x01).varint(-1).withCrc()).as("negative timestamp").hasMessageContaining("varint");
    assertRejected(oneValue().bytes(0x01).varint(5).string("").varint(0).withCrc())
        .as("a tombstone carries no content").hasMessageContaining("trailing");
  }

  @Test
  void rejectsCountsTheInputCannotHold() {
    assertRejected(Frames.state().varint(Long.MAX_VALUE).withCrc()).hasMessageContaining("entry count");
    assertRejected(Frames.state().varint(1_000_000).varint(0).withCrc()).hasMessageContaining("exceeds the input");
    assertRejected(Frames.state().varint(1).string("a").varint(Long.MAX_VALUE).varint(Long.MAX_VALUE).withCrc())
        .hasMessageContaining("exceeds the input");
  }

  /** A state frame whose entries the caller writes: two of them. */
  private static Frames entries() {
    return Frames.state().varint(2);
  }

  /** A state frame with one entry {@code a:1} holding one value the caller writes. */
  private static Frames oneValue() {
    return Frames.state().varint(1).string("a").varint(1).varint(1);
  }

  /** Decoding fails with the checked exception, raised by an explicit check (no wrapped cause). */
  private static AbstractThrowableAssert<?, ? extends Throwable> assertRejected(byte[] bytes) {
    return assertThatThrownBy(() -> DvvSetCodec.decode(bytes))
        .isInstanceOf(CorruptStateException.class)
        .hasNoCause();
  }
}
