package io.ringkv.node.rpc;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.smile.SmileFactory;
import com.fasterxml.jackson.dataformat.smile.SmileGenerator;
import io.netty.buffer.ByteBuf;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetSocket;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Frames on a replica connection: a 4-byte big-endian length, then a Smile-encoded (binary JSON, via
 * Jackson) {@link RpcRequest} or {@link RpcResponse}. Sibling sets travel inside as opaque bytes in
 * their own storage encoding, so they are not re-encoded.
 *
 * <p>Messages are written and read with Jackson's streaming API, field by field, as an object whose
 * fields are the record components (nulls left out), which is what Jackson's data binding writes for
 * these records: the bytes on the wire are the same, but every request costs a coordinator and two
 * replicas an encode and a decode each, and the streaming form needs neither reflection nor the
 * intermediate property buffers of record deserialization. Unknown fields are skipped, so a newer peer
 * may add some.
 */
public final class RpcCodec {

    /** Larger frames are a protocol error: values are capped far below this. */
    public static final int MAX_FRAME = 256 * 1024 * 1024;

    // Binary fields raw, not in Smile's default 7-bit safe encoding: sibling sets are most of every
    // frame, and shuffling their bits cost more CPU than anything else on the replica path. No table of
    // shared names either: a message is a dozen short names, each at most once, and the table cost an
    // allocation per message for nothing.
    private static final SmileFactory SMILE = SmileFactory.builder()
            .disable(SmileGenerator.Feature.ENCODE_BINARY_AS_7BIT)
            .disable(SmileGenerator.Feature.CHECK_SHARED_NAMES)
            .build();

    private RpcCodec() {
    }

    public static Buffer frame(RpcRequest r) {
        return frame(64 + length(r.state()) + (r.put() == null ? 0 : length(r.put().value())), g -> {
            g.writeNumberField("id", r.id());
            g.writeStringField("op", r.op().name());
            writeString(g, "key", r.key());
            writeString(g, "hintFor", r.hintFor());
            writeBinary(g, "state", r.state());
            if (r.put() != null) {
                RpcRequest.ForwardedWrite put = r.put();
                g.writeObjectFieldStart("put");
                writeString(g, "context", put.context());
                writeBinary(g, "value", put.value());
                writeString(g, "contentType", put.contentType());
                g.writeBooleanField("tombstone", put.tombstone());
                g.writeNumberField("w", put.w());
                g.writeBooleanField("sloppy", put.sloppy());
                g.writeNumberField("timeoutMs", put.timeoutMs());
                g.writeEndObject();
            }
            if (r.tree() != null) {
                RpcRequest.TreeQuery tree = r.tree();
                g.writeObjectFieldStart("tree");
                g.writeNumberField("partitionCount", tree.partitionCount());
                g.writeNumberField("partition", tree.partition());
                g.writeNumberField("level", tree.level());
                writeBinary(g, "nodes", tree.nodes());
                g.writeEndObject();
            }
            if (r.batch() != null) {
                g.writeArrayFieldStart("batch");
                for (RpcRequest.Entry e : r.batch()) {
                    g.writeStartObject();
                    writeString(g, "key", e.key());
                    writeBinary(g, "state", e.state());
                    g.writeEndObject();
                }
                g.writeEndArray();
            }
        });
    }

    public static Buffer frame(RpcResponse r) {
        return frame(64 + length(r.state()), g -> {
            g.writeNumberField("id", r.id());
            g.writeStringField("status", r.status().name());
            writeBinary(g, "state", r.state());
            writeString(g, "error", r.error());
            if (r.acks() != null) {
                g.writeNumberField("acks", r.acks());
            }
            if (r.needed() != null) {
                g.writeNumberField("needed", r.needed());
            }
            writeString(g, "context", r.context());
        });
    }

    /** Decodes a request frame's body; an IOException says it is not one. */
    public static RpcRequest decodeRequest(Buffer body) throws IOException {
        try (JsonParser p = parse(body)) {
            long id = 0;
            RpcRequest.Op op = null;
            String key = null;
            String hintFor = null;
            byte[] state = null;
            RpcRequest.ForwardedWrite put = null;
            RpcRequest.TreeQuery tree = null;
            List<RpcRequest.Entry> batch = null;
            for (String field = p.nextFieldName(); field != null; field = p.nextFieldName()) {
                JsonToken t = p.nextToken();
                switch (field) {
                    case "id" -> id = p.getLongValue();
                    case "op" -> op = constant(RpcRequest.Op.class, p);
                    case "key" -> key = text(p, t);
                    case "hintFor" -> hintFor = text(p, t);
                    case "state" -> state = binary(p, t);
                    case "put" -> put = t == JsonToken.VALUE_NULL ? null : readPut(p);
                    case "tree" -> tree = t == JsonToken.VALUE_NULL ? null : readTree(p);
                    case "batch" -> batch = t == JsonToken.VALUE_NULL ? null : readBatch(p);
                    default -> p.skipChildren();
                }
            }
            if (op == null) {
                throw new JsonParseException(p, "request without an op");
            }
            return new RpcRequest(id, op, key, hintFor, state, put, tree, batch);
        }
    }

    /** Decodes a response frame's body; an IOException says it is not one. */
    public static RpcResponse decodeResponse(Buffer body) throws IOException {
        try (JsonParser p = parse(body)) {
            long id = 0;
            RpcResponse.Status status = null;
            byte[] state = null;
            String error = null;
            Integer acks = null;
            Integer needed = null;
            String context = null;
            for (String field = p.nextFieldName(); field != null; field = p.nextFieldName()) {
                JsonToken t = p.nextToken();
                switch (field) {
                    case "id" -> id = p.getLongValue();
                    case "status" -> status = constant(RpcResponse.Status.class, p);
                    case "state" -> state = binary(p, t);
                    case "error" -> error = text(p, t);
                    case "acks" -> acks = t == JsonToken.VALUE_NULL ? null : p.getIntValue();
                    case "needed" -> needed = t == JsonToken.VALUE_NULL ? null : p.getIntValue();
                    case "context" -> context = text(p, t);
                    default -> p.skipChildren();
                }
            }
            if (status == null) {
                throw new JsonParseException(p, "response without a status");
            }
            return new RpcResponse(id, status, state, error, acks, needed, context);
        }
    }

    private static RpcRequest.ForwardedWrite readPut(JsonParser p) throws IOException {
        String context = null;
        byte[] value = null;
        String contentType = null;
        boolean tombstone = false;
        int w = 0;
        boolean sloppy = false;
        long timeoutMs = 0;
        for (String field = p.nextFieldName(); field != null; field = p.nextFieldName()) {
            JsonToken t = p.nextToken();
            switch (field) {
                case "context" -> context = text(p, t);
                case "value" -> value = binary(p, t);
                case "contentType" -> contentType = text(p, t);
                case "tombstone" -> tombstone = p.getBooleanValue();
                case "w" -> w = p.getIntValue();
                case "sloppy" -> sloppy = p.getBooleanValue();
                case "timeoutMs" -> timeoutMs = p.getLongValue();
                default -> p.skipChildren();
            }
        }
        return new RpcRequest.ForwardedWrite(context, value, contentType, tombstone, w, sloppy, timeoutMs);
    }

    private static RpcRequest.TreeQuery readTree(JsonParser p) throws IOException {
        int partitionCount = 0;
        int partition = 0;
        int level = 0;
        byte[] nodes = null;
        for (String field = p.nextFieldName(); field != null; field = p.nextFieldName()) {
            JsonToken t = p.nextToken();
            switch (field) {
                case "partitionCount" -> partitionCount = p.getIntValue();
                case "partition" -> partition = p.getIntValue();
                case "level" -> level = p.getIntValue();
                case "nodes" -> nodes = binary(p, t);
                default -> p.skipChildren();
            }
        }
        return new RpcRequest.TreeQuery(partitionCount, partition, level, nodes);
    }

    private static List<RpcRequest.Entry> readBatch(JsonParser p) throws IOException {
        List<RpcRequest.Entry> batch = new ArrayList<>();
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw new JsonParseException(p, "a batch is an array");
        }
        for (JsonToken element = p.nextToken(); element != JsonToken.END_ARRAY; element = p.nextToken()) {
            if (element != JsonToken.START_OBJECT) {
                throw new JsonParseException(p, "a batch entry is an object");
            }
            String key = null;
            byte[] state = null;
            for (String field = p.nextFieldName(); field != null; field = p.nextFieldName()) {
                JsonToken t = p.nextToken();
                switch (field) {
                    case "key" -> key = text(p, t);
                    case "state" -> state = binary(p, t);
                    default -> p.skipChildren();
                }
            }
            batch.add(new RpcRequest.Entry(key, state));
        }
        return batch;
    }

    @FunctionalInterface
    private interface Fields {
        void write(JsonGenerator g) throws IOException;
    }

    /** A frame holding one object with the given fields, written straight into the buffer after its length. */
    private static Buffer frame(int sizeHint, Fields fields) {
        Buffer out = Buffer.buffer(4 + sizeHint).appendInt(0);
        try (JsonGenerator g = SMILE.createGenerator(new BufferOutput(out))) {
            g.writeStartObject();
            fields.write(g);
            g.writeEndObject();
        } catch (IOException e) {
            // Writing to memory fails only on a bug.
            throw new IllegalStateException("cannot encode a replica message", e);
        }
        return out.setInt(0, out.length() - 4);
    }

    /** A parser over the body, on its bytes in place when they are on the heap; positioned inside the top object. */
    private static JsonParser parse(Buffer body) throws IOException {
        ByteBuf bytes = ((BufferInternal) body).getByteBuf();
        JsonParser p = bytes.hasArray()
                ? SMILE.createParser(bytes.array(), bytes.arrayOffset() + bytes.readerIndex(), bytes.readableBytes())
                : SMILE.createParser(body.getBytes());
        if (p.nextToken() != JsonToken.START_OBJECT) {
            p.close();
            throw new JsonParseException(p, "a replica message is an object");
        }
        return p;
    }

    private static void writeString(JsonGenerator g, String name, String value) throws IOException {
        if (value != null) {
            g.writeStringField(name, value);
        }
    }

    private static void writeBinary(JsonGenerator g, String name, byte[] value) throws IOException {
        if (value != null) {
            g.writeBinaryField(name, value);
        }
    }

    private static int length(byte[] bytes) {
        return bytes == null ? 0 : bytes.length;
    }

    private static String text(JsonParser p, JsonToken t) throws IOException {
        return t == JsonToken.VALUE_NULL ? null : p.getText();
    }

    private static byte[] binary(JsonParser p, JsonToken t) throws IOException {
        return t == JsonToken.VALUE_NULL ? null : p.getBinaryValue();
    }

    private static <E extends Enum<E>> E constant(Class<E> type, JsonParser p) throws IOException {
        String name = p.getText();
        try {
            return Enum.valueOf(type, name);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new JsonParseException(p, "unknown " + type.getSimpleName() + " " + name);
        }
    }

    /** Appends what Jackson writes to a Vert.x buffer. */
    private static final class BufferOutput extends OutputStream {
        private final Buffer out;

        BufferOutput(Buffer out) {
            this.out = out;
        }

        @Override
        public void write(int b) {
            out.appendByte((byte) b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            out.appendBytes(b, off, len);
        }
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
        socket.handler(new FrameSplitter(frames, socket::close));
    }

    /**
     * Splits a byte stream into frame bodies. A body that arrived whole in one chunk is handed on as a
     * slice of that chunk, without a copy; only the bytes of a frame cut across chunks are copied, once,
     * to be joined with the rest when it comes.
     */
    static final class FrameSplitter implements Handler<Buffer> {
        private final Consumer<Buffer> frames;
        private final Runnable oversized;
        /** The start of a frame whose end has not arrived yet, or null. */
        private Buffer pending;
        private boolean failed;

        FrameSplitter(Consumer<Buffer> frames, Runnable oversized) {
            this.frames = frames;
            this.oversized = oversized;
        }

        @Override
        public void handle(Buffer chunk) {
            if (failed) {
                return;
            }
            Buffer in = pending == null ? chunk : pending.appendBuffer(chunk);
            int pos = 0;
            int end = in.length();
            while (end - pos >= 4) {
                int length = in.getInt(pos);
                if (length < 0 || length > MAX_FRAME) {
                    failed = true;
                    pending = null;
                    oversized.run();
                    return;
                }
                if (end - pos - 4 < length) {
                    break;
                }
                frames.accept(in.slice(pos + 4, pos + 4 + length));
                pos += 4 + length;
            }
            if (pos == end) {
                pending = null;
            } else if (pos > 0 || in == chunk) {
                // Copied: slices of in were handed on and must not change, and the chunk is not ours to grow.
                pending = Buffer.buffer(Math.max(end - pos, 4096)).appendBuffer(in, pos, end - pos);
            }
        }
    }
}
