package io.ringkv.checker.cluster;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Node processes that outlived the harness that started them. A node started with
 * {@code --parent-pid} exits when that process does, unless it was paused (SIGSTOP) at the time: a
 * stopped process notices nothing. Resuming it (SIGCONT) lets it see its parent is gone and exit.
 */
public final class OrphanedNodes {

    private OrphanedNodes() {
    }

    /**
     * Sends SIGCONT to every {@code kv node} process whose {@code --parent-pid} no longer runs.
     *
     * @return the pids resumed
     */
    public static List<Long> resume() {
        List<Long> resumed = new ArrayList<>();
        ProcessHandle.allProcesses().forEach(p -> parentOf(p).ifPresent(parent -> {
            if (ProcessHandle.of(parent).map(ProcessHandle::isAlive).orElse(false)) {
                return;
            }
            try {
                Process kill = new ProcessBuilder("kill", "-CONT", String.valueOf(p.pid())).start();
                if (kill.waitFor(5, TimeUnit.SECONDS) && kill.exitValue() == 0) {
                    resumed.add(p.pid());
                }
            } catch (IOException e) {
                // Gone meanwhile, or not ours to signal: nothing to resume.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        return resumed;
    }

    /** The {@code --parent-pid} of a {@code kv node} process, if it is one. */
    static Optional<Long> parentOf(ProcessHandle p) {
        Optional<String[]> args = p.info().arguments();
        if (args.isEmpty()) {
            return Optional.empty();
        }
        List<String> a = Arrays.asList(args.get());
        int i = a.indexOf("--parent-pid");
        if (!a.contains("node") || i < 0 || i + 1 >= a.size()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Long.parseLong(a.get(i + 1)));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
