package io.ringkv.node.rpc;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Framing on a real loopback connection, and how frames leave the socket. */
class RpcCodecTest {

    private final Vertx vertx = Vertx.vertx();
    /** Everything runs on this one event loop, as a node's verticle does. */
    private final Context context = vertx.getOrCreateContext();

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void framesWrittenInOneEventLoopTurnLeaveInOneFlush() throws Exception {
        List<String> received = new CopyOnWriteArrayList<>();
        int port = onContext(() -> vertx.createNetServer(new NetServerOptions().setHost("127.0.0.1").setPort(0))
                .connectHandler(s -> RpcCodec.readFrames(s, f -> received.add(f.toString(StandardCharsets.UTF_8))))
                .listen()).actualPort();

        AtomicInteger coalesced = sendFiveFramesInOneTurn(port, true);
        await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 5);
        assertThat(received).containsExactly("f0", "f1", "f2", "f3", "f4");
        assertThat(coalesced).hasValue(1);

        // Without it, every frame is flushed (and sent) on its own.
        AtomicInteger separate = sendFiveFramesInOneTurn(port, false);
        await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 10);
        assertThat(separate).hasValue(5);
    }

    /** Connects, writes five frames from one event-loop task, and counts the flushes reaching the transport. */
    private AtomicInteger sendFiveFramesInOneTurn(int port, boolean coalesce) throws Exception {
        AtomicInteger flushes = new AtomicInteger();
        NetSocket socket = onContext(() -> vertx.createNetClient().connect(port, "127.0.0.1"));
        onContext(() -> {
            if (coalesce) {
                RpcCodec.coalesceFlushes(socket);
            }
            ((NetSocketInternal) socket).channelHandlerContext().pipeline().addFirst(new ChannelOutboundHandlerAdapter() {
                @Override
                public void flush(ChannelHandlerContext ctx) {
                    flushes.incrementAndGet();
                    ctx.flush();
                }
            });
            for (int i = 0; i < 5; i++) {
                byte[] body = ("f" + i).getBytes(StandardCharsets.UTF_8);
                socket.write(Buffer.buffer().appendInt(body.length).appendBytes(body));
            }
            return Future.succeededFuture();
        });
        return flushes;
    }

    private <T> T onContext(Supplier<Future<T>> work) throws Exception {
        Promise<T> p = Promise.promise();
        context.runOnContext(v -> work.get().onComplete(p));
        return p.future().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
}
