package io.ringkv.node.rpc;

import io.vertx.core.buffer.Buffer;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** Frames cut anywhere by the network come out whole, in order, and unchanged by what arrives after them. */
class FrameSplitterTest {

    private static Buffer framed(List<byte[]> bodies) {
        Buffer stream = Buffer.buffer();
        for (byte[] body : bodies) {
            stream.appendInt(body.length).appendBytes(body);
        }
        return stream;
    }

    @Property(tries = 300)
    void framesCutAtAnyPointComeOutWholeAndInOrder(@ForAll @Size(max = 12) List<@IntRange(max = 5000) Integer> sizes,
                                                   @ForAll long seed) {
        Random random = new Random(seed);
        List<byte[]> sent = new ArrayList<>();
        for (int size : sizes) {
            byte[] body = new byte[size];
            random.nextBytes(body);
            sent.add(body);
        }
        Buffer stream = framed(sent);
        List<Buffer> received = new ArrayList<>();
        RpcCodec.FrameSplitter splitter = new RpcCodec.FrameSplitter(received::add, () -> {
            throw new AssertionError("no frame here is too long");
        });
        int pos = 0;
        while (pos < stream.length()) {
            int chunk = Math.min(stream.length() - pos, 1 + random.nextInt(random.nextBoolean() ? 8 : 9000));
            // A fresh buffer per chunk, as the socket hands them over.
            splitter.handle(stream.getBuffer(pos, pos + chunk));
            pos += chunk;
        }
        // Compared only now: frames handed on earlier must not have been changed by later chunks.
        assertThat(received).hasSameSizeAs(sent);
        for (int i = 0; i < sent.size(); i++) {
            assertThat(received.get(i).getBytes()).as("frame %d", i).isEqualTo(sent.get(i));
        }
    }

    @Test
    void aFrameLongerThanTheLimitStopsTheStream() {
        List<Buffer> received = new ArrayList<>();
        List<String> closed = new ArrayList<>();
        RpcCodec.FrameSplitter splitter = new RpcCodec.FrameSplitter(received::add, () -> closed.add("closed"));
        splitter.handle(framed(List.of(new byte[] {1, 2})).appendInt(RpcCodec.MAX_FRAME + 1).appendBytes(new byte[10]));
        splitter.handle(framed(List.of(new byte[] {3})));
        assertThat(received).hasSize(1);
        assertThat(closed).containsExactly("closed");
    }
}
