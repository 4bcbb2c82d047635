package io.ringkv.checker.nemesis;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The iptables rules of one run's partitions, kept in a chain of their own so that healing and
 * cleanup remove exactly the harness's rules and nothing else.
 *
 * <p>The chain is {@code ringkv-<http port>}, jumped to from the top of {@code INPUT}. Every packet
 * between two nodes' loopback addresses goes through {@code INPUT} (loopback traffic is delivered
 * locally), so a DROP rule per direction cuts two nodes apart. The rules match only the run's
 * replica-RPC and gossip ports: client traffic to the nodes' HTTP port stays untouched, whatever
 * address the harness's clients connect from (127.0.0.1 is also node 1's address), and so does
 * any other run or program on the loopback addresses.
 *
 * <p>Every command waits a bounded time for the xtables lock and has a time limit; a failing
 * command raises {@link NemesisException} with iptables' own message.
 */
public final class Iptables {

    /** Prefix of every chain the harness creates; {@link #removeLeftovers()} removes them all. */
    public static final String CHAIN_PREFIX = "ringkv-";

    private static final long COMMAND_TIMEOUT_SECONDS = 20;

    /** The command used unless told otherwise; {@code iptables-legacy} or a path also work. */
    public static final String DEFAULT_COMMAND = "iptables";

    private final String binary;
    private final String chain;
    private final String ports;
    private boolean installed;

    private Iptables(String binary, String chain, String ports) {
        this.binary = binary;
        this.chain = chain;
        this.ports = ports;
    }

    /**
     * The rules of the run whose nodes use {@code httpPort}, and {@code nodePorts} for traffic
     * between nodes (replica RPC and gossip). Nothing is changed until {@link #install()}.
     *
     * @param binary the iptables command: {@code iptables}, {@code iptables-legacy}, a path
     */
    public static Iptables forRun(String binary, int httpPort, int... nodePorts) {
        StringBuilder p = new StringBuilder();
        for (int port : nodePorts) {
            p.append(p.length() == 0 ? "" : ",").append(port);
        }
        return new Iptables(binary, CHAIN_PREFIX + httpPort, p.toString());
    }

    /** Whether partitions can work here, and if not, why. */
    public record Availability(boolean available, String reason) {
    }

    /**
     * Whether this process may change iptables rules: it must run as root and the {@code binary}
     * command must list the INPUT chain.
     */
    public static Availability probe(String binary) {
        if (!isRoot()) {
            return new Availability(false, "not running as root (iptables rules need root)");
        }
        try {
            Result r = run(command(binary, "-L", "INPUT", "-n"));
            if (r.exit != 0) {
                return new Availability(false, "iptables cannot list rules: " + r.output.strip());
            }
            return new Availability(true, "root and " + run(List.of(binary, "--version")).output.strip());
        } catch (IOException e) {
            return new Availability(false, "no usable " + binary + " command (apt-get install -y iptables): "
                    + e.getMessage());
        }
    }

    /** The chain this run's rules live in. */
    public String chain() {
        return chain;
    }

    /**
     * Creates the chain (emptying one a crashed run of the same port left) and jumps to it from the
     * top of INPUT.
     */
    public synchronized void install() {
        removeChain(binary, chain);
        checked(binary, "-N", chain);
        checked(binary, "-I", "INPUT", "1", "-j", chain);
        installed = true;
    }

    /** Drops this run's node traffic between {@code a} and {@code b}, both ways. */
    public synchronized void cut(String a, String b) {
        drop(a, b);
        drop(b, a);
    }

    private void drop(String from, String to) {
        if (!installed) {
            throw new IllegalStateException("install() first");
        }
        checked(binary, "-A", chain, "-s", from, "-d", to, "-p", "tcp", "-m", "multiport", "--ports", ports, "-j", "DROP");
    }

    /** Removes every cut; the chain stays for the next partition. */
    public synchronized void heal() {
        if (installed) {
            checked(binary, "-F", chain);
        }
    }

    /** Removes the chain and the jump to it. Idempotent; safe from a shutdown hook. */
    public synchronized void uninstall() {
        removeChain(binary, chain);
        installed = false;
    }

    /**
     * Removes every chain named {@code ringkv-*} and the jumps to it, whichever run left them: what
     * {@code kv test --cleanup} does after a harness was killed before it could clean up.
     *
     * @return the chains removed
     */
    public static List<String> removeLeftovers(String binary) {
        Result rules;
        try {
            rules = run(command(binary, "-S"));
        } catch (IOException e) {
            throw new NemesisException("cannot run iptables: " + e.getMessage(), e);
        }
        if (rules.exit != 0) {
            throw new NemesisException("iptables -S failed: " + rules.output.strip());
        }
        Set<String> chains = new LinkedHashSet<>();
        for (String line : rules.output.split("\n")) {
            String[] words = line.strip().split("\\s+");
            if (words.length == 2 && words[0].equals("-N") && words[1].startsWith(CHAIN_PREFIX)) {
                chains.add(words[1]);
            }
        }
        for (String c : chains) {
            removeChain(binary, c);
        }
        return List.copyOf(chains);
    }

    /** Deletes every jump to {@code name} from INPUT, then the chain; a missing chain is fine. */
    private static void removeChain(String binary, String name) {
        // Each -D removes one jump; a crashed run and this one may both have added one. Bounded.
        for (int i = 0; i < 16; i++) {
            if (quiet(binary, "-D", "INPUT", "-j", name) != 0) {
                break;
            }
        }
        if (quiet(binary, "-F", name) == 0) {
            checked(binary, "-X", name);
        }
    }

    private static int quiet(String binary, String... args) {
        try {
            return run(command(binary, args)).exit;
        } catch (IOException e) {
            throw new NemesisException("cannot run iptables: " + e.getMessage(), e);
        }
    }

    private static void checked(String binary, String... args) {
        List<String> cmd = command(binary, args);
        Result r;
        try {
            r = run(cmd);
        } catch (IOException e) {
            throw new NemesisException("cannot run iptables: " + e.getMessage(), e);
        }
        if (r.exit != 0) {
            throw new NemesisException(String.join(" ", cmd) + " failed (exit " + r.exit + "): " + r.output.strip());
        }
    }

    private static List<String> command(String binary, String... args) {
        // -w 10: wait at most 10 s for the xtables lock another iptables user holds.
        List<String> cmd = new ArrayList<>(List.of(binary, "-w", "10"));
        cmd.addAll(List.of(args));
        return cmd;
    }

    private record Result(int exit, String output) {
    }

    private static Result run(List<String> cmd) throws IOException {
        // Output goes to a file, so a command that hangs cannot block a read: the wait below is bounded.
        Path out = Files.createTempFile("ringkv-iptables", ".out");
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            try {
                if (!p.waitFor(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new IOException(String.join(" ", cmd) + " did not finish in " + COMMAND_TIMEOUT_SECONDS + " s");
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while running " + String.join(" ", cmd), e);
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
        }
    }

    private static boolean isRoot() {
        try {
            // /proc/self belongs to the effective user of the process that reads it.
            Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
            return Integer.valueOf(0).equals(uid);
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }
}
