package io.ringkv.versioning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.CharRange;
import net.jqwik.api.constraints.Chars;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;

class CausalContextCodecTest {

  /** Any valid context: any node ids (1 to 255 bytes of UTF-8), any counters. */
  @Provide
  Arbitrary<VersionVector> contexts() {
    Arbitrary<String> ids =
        Arbitraries.strings().ofMinLength(1).ofMaxLength(100).filter(CausalContextCodecTest::isNodeId);
    Arbitrary<Long> counters = Arbitraries.longs().between(1, Long.MAX_VALUE);
    return Arbitraries.maps(ids, counters).ofMaxSize(8).map(VersionVector::of);
  }

  @Provide
  Arbitrary<VersionVector> reachableContexts() {
    return History.histories(40).flatMap(h -> Arbitraries.integers().map(h::context));
  }

  @Property
  void roundTrips(@ForAll("contexts") VersionVector context) throws Exception {
    String encoded = CausalContextCodec.encode(context);

    assertThat(encoded).matches("[A-Za-z0-9_-]+");
    assertThat(CausalContextCodec.decode(encoded)).isEqualTo(context);
  }

  @Property
  void roundTripsReachableContexts(@ForAll("reachableContexts") VersionVector context) throws Exception {
    assertThat(CausalContextCodec.decode(CausalContextCodec.encode(context))).isEqualTo(context);
  }

  @Property
  void randomStringsDoNotDecode(@ForAll String garbage) {
    assertRejected(garbage);
  }

  @Property
  void randomBase64DoesNotDecode(@ForAll @Chars({'-', '_'}) @CharRange(from = 'a', to = 'z')
      @CharRange(from = 'A', to = 'Z') @CharRange(from = '0', to = '9') String garbage) {
    assertRejected(garbage);
  }

  @Property
  void truncatedContextsDoNotDecode(@ForAll("contexts") VersionVector context, @ForAll int cut) {
    String encoded = CausalContextCodec.encode(context);

    assertRejected(encoded.substring(0, Math.floorMod(cut, encoded.length())));
  }

  @Property
  void contextsWithOneCharacterChangedDoNotDecode(
      @ForAll("contexts") VersionVector context, @ForAll int position, @ForAll char replacement) {
    String encoded = CausalContextCodec.encode(context);
    int i = Math.floorMod(position, encoded.length());
    if (encoded.charAt(i) == replacement) {
      return;
    }

    assertRejected(encoded.substring(0, i) + replacement + encoded.substring(i + 1));
  }

  @Property
  void contextsWithOneBitFlippedDoNotDecode(@ForAll("contexts") VersionVector context, @ForAll int bit) {
    byte[] binary = Base64.getUrlDecoder().decode(CausalContextCodec.encode(context));
    int i = Math.floorMod(bit, binary.length * 8);
    binary[i / 8] ^= (byte) (1 << (i % 8));

    assertRejected(Base64.getUrlEncoder().withoutPadding().encodeToString(binary));
  }

  @Property
  void anythingThatDecodesIsCanonical(@ForAll byte[] body) throws Exception {
    String framed = Frames.context().bytes(body).withCrcBase64();
    VersionVector decoded;
    try {
      decoded = CausalContextCodec.decode(framed);
    } catch (MalformedContextException e) {
      assertThat(e).hasNoCause();
      return;
    }
    assertThat(CausalContextCodec.encode(decoded)).isEqualTo(framed);
  }

  @Test
  void roundTripsTheExtremes() throws Exception {
    Map<String, Long> widest = new TreeMap<>();
    for (int i = 0; i < CausalContextCodec.MAX_ENTRIES; i++) {
      widest.put(String.format("%0255d", i), Long.MAX_VALUE);
    }
    for (VersionVector context : new VersionVector[] {
        VersionVector.empty(), VersionVector.of(Map.of("a", 1L)), VersionVector.of(widest)}) {
      assertThat(CausalContextCodec.decode(CausalContextCodec.encode(context))).isEqualTo(context);
    }
  }

  @Test
  void refusesToEncodeWhatCannotBeDecoded() {
    Map<String, Long> tooWide = new TreeMap<>();
    for (int i = 0; i <= CausalContextCodec.MAX_ENTRIES; i++) {
      tooWide.put("n" + i, 1L);
    }

    assertThatThrownBy(() -> CausalContextCodec.encode(VersionVector.of(tooWide)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void rejectsWrongFrames() {
    assertRejected("").hasMessageContaining("too short");
    assertRejected(Frames.raw().bytes(0xD5, 1).varint(0).withCrcBase64()).hasMessageContaining("magic");
    assertRejected(Frames.raw().bytes(0xCC, 2).varint(0).withCrcBase64()).hasMessageContaining("version");
    byte[] badCrc = Frames.context().varint(0).withCrc();
    badCrc[badCrc.length - 1] ^= 1;
    assertRejected(Base64.getUrlEncoder().withoutPadding().encodeToString(badCrc)).hasMessageContaining("checksum");
  }

  @Test
  void rejectsNonCanonicalBase64() {
    String canonical = Frames.context().varint(1).string("a").varint(1).withCrcBase64();
    assertThat(canonical.length() % 4).isNotZero(); // so that padding and unused bits exist

    assertRejected(canonical + "=".repeat(4 - canonical.length() % 4)).hasMessageContaining("outside");
    char last = canonical.charAt(canonical.length() - 1);
    assertRejected(canonical.substring(0, canonical.length() - 1) + (char) (last + 1)).hasMessageContaining("unused");
    assertRejected("AAAAA").hasMessageContaining("length");
    assertRejected("A".repeat(400_000)).hasMessageContaining("longer");
  }

  @Test
  void rejectsBrokenStructure() {
    assertRejected(Frames.context().varint(2).string("b").varint(1).string("a").varint(1).withCrcBase64())
        .hasMessageContaining("sorted");
    assertRejected(Frames.context().varint(2).string("a").varint(1).string("a").varint(2).withCrcBase64())
        .hasMessageContaining("sorted");
    assertRejected(Frames.context().varint(1).string("a").varint(0).withCrcBase64()).hasMessageContaining("below 1");
    assertRejected(Frames.context().varint(1).string("").varint(1).bytes(0).withCrcBase64())
        .hasMessageContaining("shorter");
    assertRejected(Frames.context().varint(1).string("x".repeat(256)).varint(1).withCrcBase64())
        .hasMessageContaining("above 255");
    assertRejected(Frames.context().varint(1).varint(1).bytes(0xC0).varint(1).withCrcBase64())
        .hasMessageContaining("UTF-8");
    assertRejected(Frames.context().varint(1).varint(3).bytes(0xED, 0xA0, 0x80).varint(1).withCrcBase64())
        .as("an encoded surrogate").hasMessageContaining("UTF-8");
    assertRejected(Frames.context().varint(0).bytes(0).withCrcBase64()).hasMessageContaining("trailing");
    assertRejected(Frames.context().varint(1).string("abc").withCrcBase64()).hasMessageContaining("truncated");
  }

  @Test
  void rejectsHostileCountsAndVarints() {
    assertRejected(Frames.context().varint(CausalContextCodec.MAX_ENTRIES + 1).withCrcBase64())
        .hasMessageContaining("above 1024");
    assertRejected(Frames.context().varint(1000).string("a").varint(1).withCrcBase64())
        .hasMessageContaining("exceeds the input");
    assertRejected(Frames.context().varint(1).varint(200).bytes(0x61).varint(1).withCrcBase64())
        .hasMessageContaining("exceeds the input");
    assertRejected(Frames.context().varint(1).string("a").bytes(0x81, 0x00).withCrcBase64())
        .hasMessageContaining("non-minimal");
    assertRejected(Frames.context().varint(1).string("a").varint(-1).withCrcBase64())
        .as("2^64 - 1 does not fit a counter").hasMessageContaining("varint longer");
    assertRejected(Frames.context().varint(1).string("a").bytes(0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x80)
        .varint(0).withCrcBase64()).hasMessageContaining("varint longer");
  }

  @Test
  void acceptsTheLargestCounter() throws Exception {
    String encoded = Frames.context().varint(1).string("a").varint(Long.MAX_VALUE).withCrcBase64();

    assertThat(CausalContextCodec.decode(encoded).counter("a")).isEqualTo(Long.MAX_VALUE);
  }

  /** Decoding fails with the checked exception, raised by an explicit check (no wrapped cause). */
  private static AbstractThrowableAssert<?, ? extends Throwable> assertRejected(String encoded) {
    return assertThatThrownBy(() -> CausalContextCodec.decode(encoded))
        .isInstanceOf(MalformedContextException.class)
        .hasNoCause();
  }

  private static boolean isNodeId(String s) {
    int length = Utf8.encodedLength(s);
    return length >= 1 && length <= 255;
  }
}
