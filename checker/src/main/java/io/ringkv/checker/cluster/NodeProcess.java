package io.ringkv.checker.cluster;

import com.fasterxml.jackson.databind.ObjectMapper;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One node running as its own operating-system process, started from the runnable jar, with its own
 * loopback address and data directory. It can be stopped, killed with SIGKILL, paused with SIGSTOP and
 * restarted on the same data, as real faults do to real nodes.
 */
public final class NodeProcess {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private final String id;
    private final String host;
    private final int httpPort;
    private final int rpcPort;
    private final int gossipPort;
    private final Path dataDir;
    private final List<String> command;
    private final HttpClient http;
    private final String scheme;
    private Process process;

    public NodeProcess(String id, String host, int httpPort, int rpcPort, int gossipPort, Path dataDir, List<String> command) {
        this(id, host, httpPort, rpcPort, gossipPort, dataDir, command, null);
    }

    /** @param tls trust in the cluster's authority when the node serves HTTPS; null for plain HTTP */
    public NodeProcess(String id, String host, int httpPort, int rpcPort, int gossipPort, Path dataDir, List<String> command,
                       SSLContext tls) {
        this.id = id;
        this.host = host;
        this.httpPort = httpPort;
        this.rpcPort = rpcPort;
        this.gossipPort = gossipPort;
        this.dataDir = dataDir;
        this.command = List.copyOf(command);
        this.http = tls == null ? HTTP
                : HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).sslContext(tls).build();
        this.scheme = tls == null ? "http" : "https";
    }

    /** Starts the process (again, after a stop or kill), appending its output to {@link #logFile()}. */
    public synchronized void start() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException(id + " is already running");
        }
        try {
            Files.createDirectories(dataDir);
            process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile().toFile()))
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start node " + id + ": " + e.getMessage(), e);
        }
    }

    /** Asks the node to stop (SIGTERM) and waits for it, killing it after {@code grace}. */
    public synchronized void stop(Duration grace) {
        if (process == null) {
            return;
        }
        resume();
        process.destroy();
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    /** SIGKILL: the node gets no chance to do anything. Waits until the process is gone. */
    public synchronized void kill() {
        if (process == null) {
            return;
        }
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** SIGSTOP: the process stays, but does nothing until {@link #resume()}. */
    public synchronized void pause() {
        signal("STOP");
    }

    /** SIGCONT after {@link #pause()}. */
    public synchronized void resume() {
        signal("CONT");
    }

    private void signal(String name) {
        if (process == null || !process.isAlive()) {
            return;
        }
        try {
            Process kill = new ProcessBuilder("kill", "-" + name, String.valueOf(process.pid())).start();
            kill.waitFor(5, TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new IllegalStateException("cannot send SIG" + name + " to " + id + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public synchronized boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** The exit code, or null while running or never started. */
    public synchronized Integer exitCode() {
        return process == null || process.isAlive() ? null : process.exitValue();
    }

    /**
     * The node's /health answer: true when it answered 200 (it is in a ring) and sees
     * {@code ringMembers} members in it.
     */
    public boolean healthy(int ringMembers) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(baseUri() + "/health"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 && JSON.readTree(r.body()).path("ring_members").asInt() == ringMembers;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public String id() {
        return id;
    }

    public String host() {
        return host;
    }

    public int httpPort() {
        return httpPort;
    }

    public int rpcPort() {
        return rpcPort;
    }

    public int gossipPort() {
        return gossipPort;
    }

    /** {@code http://host:port}, or {@code https://host:port} for a node that serves HTTPS. */
    public String baseUri() {
        return scheme + "://" + httpAddress();
    }

    public String httpAddress() {
        return host + ":" + httpPort;
    }

    public Path dataDir() {
        return dataDir;
    }

    public Path logFile() {
        return dataDir.resolve("node.log");
    }

    /** The command line that starts this node. */
    public List<String> command() {
        return command;
    }

    public synchronized long pid() {
        return process == null ? -1 : process.pid();
    }

    public static List<String> javaCommand(Path jar, List<String> jvmOptions) {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.addAll(jvmOptions);
        cmd.add("-jar");
        cmd.add(jar.toString());
        return cmd;
    }
}
