package io.ringkv.node.rpc;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.smile.SmileGenerator;
import com.fasterxml.jackson.dataformat.smile.databind.SmileMapper;
import io.vertx.core.buffer.Buffer;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The replica message encoding: every request and response comes back as it was sent, and the bytes are
 * those Jackson's data binding writes and reads for the same records, so the streaming codec speaks the
 * protocol the nodes spoke before it.
 */
class RpcMessageCodecTest {

    /** Data binding, configured as the codec was before it wrote and read fields itself. */
    private static final ObjectMapper DATA_BINDING = SmileMapper.builder()
            .disable(SmileGenerator.Feature.ENCODE_BINARY_AS_7BIT)
            .build();

    private static Arbitrary<String> text() {
        return Arbitraries.strings().ofMaxLength(24).injectNull(0.3);
    }

    private static Arbitrary<byte[]> bytes() {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(3000).injectNull(0.3);
    }

    @Provide
    Arbitrary<RpcRequest> requests() {
        Arbitrary<RpcRequest.ForwardedWrite> puts = Combinators.combine(text(), bytes(), text(), Arbitraries.of(true, false),
                        Arbitraries.integers().between(0, 9), Arbitraries.of(true, false), Arbitraries.longs().between(0, 1_000_000))
                .as(RpcRequest.ForwardedWrite::new).injectNull(0.5);
        Arbitrary<RpcRequest.TreeQuery> trees = Combinators.combine(Arbitraries.integers().between(1, 1024),
                        Arbitraries.integers().between(0, 1023), Arbitraries.integers().between(0, 20), bytes())
                .as(RpcRequest.TreeQuery::new).injectNull(0.5);
        Arbitrary<List<RpcRequest.Entry>> batches = Combinators.combine(text(), bytes()).as(RpcRequest.Entry::new)
                .list().ofMaxSize(4).injectNull(0.5);
        return Combinators.combine(Arbitraries.longs(), Arbitraries.of(RpcRequest.Op.class), text(), text(), bytes(),
                puts, trees, batches).as(RpcRequest::new);
    }

    @Provide
    Arbitrary<RpcResponse> responses() {
        Arbitrary<Integer> counts = Arbitraries.integers().between(0, 9).injectNull(0.5);
        return Combinators.combine(Arbitraries.longs(), Arbitraries.of(RpcResponse.Status.class), bytes(), text(),
                counts, counts, text()).as(RpcResponse::new);
    }

    private static Buffer body(Buffer frame) {
        assertThat(frame.getInt(0)).as("length prefix").isEqualTo(frame.length() - 4);
        // A slice, as the frame reader hands bodies over: the decoder must honour its offset.
        return frame.slice(4, frame.length());
    }

    @FunctionalInterface
    private interface Decoder<T> {
        T decode(Buffer body) throws IOException;
    }

    /** {@code message} comes back from its frame, data binding reads that frame, and the codec reads data binding's. */
    private static <T> void comesBackAndMatchesDataBinding(T message, Buffer frame, Decoder<T> decoder, Class<T> type)
            throws IOException {
        Buffer body = body(frame);
        assertThat(decoder.decode(body)).usingRecursiveComparison().isEqualTo(message);
        assertThat(DATA_BINDING.readValue(body.getBytes(), type)).usingRecursiveComparison().isEqualTo(message);
        assertThat(decoder.decode(Buffer.buffer(DATA_BINDING.writeValueAsBytes(message))))
                .usingRecursiveComparison().isEqualTo(message);
    }

    @Property(tries = 300)
    void requestsComeBackAsSentAndMatchDataBinding(@ForAll("requests") RpcRequest request) throws IOException {
        comesBackAndMatchesDataBinding(request, RpcCodec.frame(request), RpcCodec::decodeRequest, RpcRequest.class);
    }

    @Property(tries = 300)
    void responsesComeBackAsSentAndMatchDataBinding(@ForAll("responses") RpcResponse response) throws IOException {
        comesBackAndMatchesDataBinding(response, RpcCodec.frame(response), RpcCodec::decodeResponse, RpcResponse.class);
    }

    @Test
    void unknownFieldsAreSkipped() throws IOException {
        Map<String, Object> newer = new LinkedHashMap<>();
        newer.put("id", 7);
        newer.put("op", "READ");
        newer.put("future", Map.of("nested", List.of(1, 2, 3)));
        newer.put("key", "k");
        RpcRequest decoded = RpcCodec.decodeRequest(Buffer.buffer(DATA_BINDING.writeValueAsBytes(newer)));
        assertThat(decoded).usingRecursiveComparison()
                .isEqualTo(new RpcRequest(7, RpcRequest.Op.READ, "k", null, null, null));
    }

    @Test
    void whatIsNotAMessageIsAnIOException() throws IOException {
        assertThatThrownBy(() -> RpcCodec.decodeRequest(Buffer.buffer("not smile"))).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> RpcCodec.decodeRequest(Buffer.buffer(DATA_BINDING.writeValueAsBytes(List.of(1)))))
                .isInstanceOf(IOException.class);
        assertThatThrownBy(() -> RpcCodec.decodeRequest(Buffer.buffer(DATA_BINDING.writeValueAsBytes(Map.of("id", 1, "op", "EXPLODE")))))
                .isInstanceOf(IOException.class).hasMessageContaining("EXPLODE");
        Buffer response = body(RpcCodec.frame(RpcResponse.ok(1, new byte[] {1})));
        assertThatThrownBy(() -> RpcCodec.decodeRequest(response)).isInstanceOf(IOException.class).hasMessageContaining("op");
        Buffer request = body(RpcCodec.frame(new RpcRequest(1, RpcRequest.Op.READ, "k", null, null, null)));
        assertThatThrownBy(() -> RpcCodec.decodeResponse(request)).isInstanceOf(IOException.class).hasMessageContaining("status");
    }
}
