package io.ringkv.client;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A stand-in for a ringkv node, on 127.0.0.1 and a port of the kernel's choosing: it answers every
 * request with the answer it was last given and records what it received, so that a test sees both
 * what {@link KvClient} sent and what it made of a given answer. The failures that leave no answer at
 * all are here too: a refused connection ({@link #refusingAddress()}), a node that never answers
 * ({@link #silent()}) and a connection reset mid-request ({@link #resetting()}).
 *
 * <p>Shared with the checker's tests (the client's test-jar), which classify what a real client
 * throws at these answers.
 */
public final class StubNode implements AutoCloseable {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private volatile Answer answer = new Answer(204, new byte[0], List.of());

    private StubNode(HttpServer server) {
        this.server = server;
    }

    /** A stub that answers 204 until told otherwise. */
    public static StubNode start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(LOOPBACK, 0), 0);
            StubNode stub = new StubNode(server);
            server.createContext("/", stub::handle);
            server.start();
            return stub;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** "127.0.0.1:port", as {@link KvClient.Builder#nodes(String...)} takes it. */
    public String address() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    /** From now on, answers {@code status} with {@code body} and the headers given as name, value, ... */
    public StubNode answer(int status, String body, String... headers) {
        if (headers.length % 2 != 0) {
            throw new IllegalArgumentException("headers come as name, value pairs");
        }
        answer = new Answer(status, body.getBytes(StandardCharsets.UTF_8), List.of(headers));
        return this;
    }

    /** From now on, answers as a node refusing a request: {@code {"error": error, "detail": detail}}. */
    public StubNode answerError(int status, String error, String detail, String... headers) {
        String[] all = new String[headers.length + 2];
        all[0] = "Content-Type";
        all[1] = "application/json";
        System.arraycopy(headers, 0, all, 2, headers.length);
        return answer(status, "{\"error\":\"" + error + "\",\"detail\":" + detail + "}", all);
    }

    /** Every request received so far, oldest first. */
    public List<Received> received() {
        return List.copyOf(received);
    }

    /** The one request received so far; fails when there were none or several. */
    public Received onlyRequest() {
        if (received.size() != 1) {
            throw new AssertionError("expected exactly one request, got " + received);
        }
        return received.get(0);
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                    query(exchange.getRequestURI().getRawQuery()), Map.copyOf(exchange.getRequestHeaders()),
                    exchange.getRequestBody().readAllBytes()));
            Answer a = answer;
            for (int i = 0; i < a.headers.size(); i += 2) {
                exchange.getResponseHeaders().add(a.headers.get(i), a.headers.get(i + 1));
            }
            exchange.sendResponseHeaders(a.status, a.body.length == 0 ? -1 : a.body.length);
            exchange.getResponseBody().write(a.body);
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> params = new LinkedHashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                String name = eq < 0 ? pair : pair.substring(0, eq);
                params.put(name, eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return params;
    }

    /** An address nothing listens on: a port the kernel handed out, released at once. */
    public static String refusingAddress() {
        try (ServerSocket socket = new ServerSocket(0, 1, LOOPBACK)) {
            return "127.0.0.1:" + socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A node that never answers, as a paused one: the kernel completes the connection (it is in the
     * listen backlog) and takes the request, and nothing ever reads it.
     */
    public static Listener silent() {
        try {
            return new Listener(new ServerSocket(0, 8, LOOPBACK), null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A node that dies mid-request: it reads the request head, then resets the connection (linger 0),
     * as the kernel does for a process killed with unread data in its socket.
     */
    public static Listener resetting() {
        try {
            ServerSocket socket = new ServerSocket(0, 8, LOOPBACK);
            Thread acceptor = new Thread(() -> resetEach(socket), "stub-resetting");
            acceptor.setDaemon(true);
            acceptor.start();
            return new Listener(socket, acceptor);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Ends when the socket is closed. */
    private static void resetEach(ServerSocket socket) {
        while (!socket.isClosed()) {
            try (Socket connection = socket.accept()) {
                readHead(connection.getInputStream());
                connection.setSoLinger(true, 0);
            } catch (IOException e) {
                // The listener was closed, or the client gave up first: either way, the next one.
            }
        }
    }

    /** Reads up to the blank line that ends a request head, or 64 KiB, or the end of the stream. */
    private static void readHead(InputStream in) throws IOException {
        int last4 = 0;
        for (int i = 0; i < 64 * 1024; i++) {
            int b = in.read();
            if (b < 0) {
                return;
            }
            last4 = last4 << 8 | b;
            if (last4 == 0x0d0a0d0a) {
                return;
            }
        }
    }

    /** What the stub received: method, path and query as sent on the wire, headers, body. */
    public record Received(String method, String rawPath, Map<String, String> query, Map<String, List<String>> headers,
                           byte[] body) {

        /** The first value of header {@code name}, whatever its case. */
        public Optional<String> header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .flatMap(e -> e.getValue().stream()).findFirst();
        }
    }

    private record Answer(int status, byte[] body, List<String> headers) {
    }

    /** A TCP listener that is no HTTP server, for the failures without an answer. */
    public static final class Listener implements AutoCloseable {
        private final ServerSocket socket;
        private final Thread acceptor;

        private Listener(ServerSocket socket, Thread acceptor) {
            this.socket = socket;
            this.acceptor = acceptor;
        }

        public String address() {
            return "127.0.0.1:" + socket.getLocalPort();
        }

        @Override
        public void close() {
            try {
                socket.close();
                if (acceptor != null) {
                    acceptor.join(5_000);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
