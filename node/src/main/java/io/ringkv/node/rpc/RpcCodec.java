package io.ringkv.node.rpc;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.smile.SmileGenerator;
import com.fasterxml.jackson.dataformat.smile.databind.SmileMapper;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetSocket;
import io.vertx.core.parsetools.RecordParser;

import java.io.IOException;
import java.util.function.Consumer;

/**
 * Frames on a replica connection: a 4-byte big-endian length, then a Smile-encoded (binary JSON, via
 * Jackson) {@link RpcRequest} or {@link RpcResponse}. Sibling sets travel inside as opaque bytes in
 * their own storage encoding, so they are not re-encoded.
 */
public final class RpcCodec {

    /** Larger frames are a protocol error: values are capped far below this. */
    public static final int MAX_FRAME = 256 * 1024 * 1024;

    // Binary fields raw, not in Smile's default 7-bit safe encoding: sibling sets are most of every
    // frame, and shuffling their bits cost more CPU than anything else on the replica path.
    private static final ObjectMapper SMILE = SmileMapper.builder()
            .disable(SmileGenerator.Feature.ENCODE_BINARY_AS_7BIT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private RpcCodec() {
    }

    public static Buffer frame(Object message) {
        try {
            byte[] body = SMILE.writeValueAsBytes(message);
            return Buffer.buffer(4 + body.length).appendInt(body.length).appendBytes(body);
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode " + message.getClass().getSimpleName(), e);
        }
    }

    public static <T> T decode(Buffer body, Class<T> type) throws IOException {
        return SMILE.readValue(body.getBytes(), type);
    }

    /**
     * Makes the frames written to {@code socket} during one turn of its event loop go out together, in
     * one system call, instead of one call per frame. A coordinator sends a frame to each replica for
     * every client request and a replica answers each as its storage thread finishes; on loopback each
     * send also runs the receiver's TCP stack, and these sends were the largest single cost of a
     * cluster under load (BENCHMARKS.md). The flush is only deferred to the end of the current batch of
     * I/O and tasks, so it adds no waiting.
     */
    public static void coalesceFlushes(NetSocket socket) {
        ((NetSocketInternal) socket).channelHandlerContext().pipeline()
                .addFirst("ringkv-flush-consolidation", new FlushConsolidationHandler(FlushConsolidationHandler.DEFAULT_EXPLICIT_FLUSH_AFTER_FLUSHES, true));
    }

    /**
     * Feeds each complete frame body of {@code socket} to {@code frames}; closes the socket on a frame
     * longer than {@link #MAX_FRAME}.
     */
    public static void readFrames(NetSocket socket, Consumer<Buffer> frames) {
        RecordParser parser = RecordParser.newFixed(4);
        parser.handler(new io.vertx.core.Handler<>() {
            private int length = -1;

            @Override
            public void handle(Buffer chunk) {
                if (length < 0) {
                    length = chunk.getInt(0);
                    if (length < 0 || length > MAX_FRAME) {
                        socket.close();
                        return;
                    }
                    if (length == 0) {
                        length = -1;
                        frames.accept(Buffer.buffer());
                        return;
                    }
                    parser.fixedSizeMode(length);
                } else {
                    length = -1;
                    parser.fixedSizeMode(4);
                    frames.accept(chunk);
                }
            }
        });
        socket.handler(parser);
    }
}
