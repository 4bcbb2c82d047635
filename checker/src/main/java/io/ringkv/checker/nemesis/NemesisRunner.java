package io.ringkv.checker.nemesis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.LongSupplier;

/**
 * Carries out a {@link FaultSchedule} on its own thread: at most one fault at a time, each injected
 * at its period's start and healed at its end. {@link #stopAndHeal} ends the schedule early and heals
 * what is still in effect, so that a run always ends healed.
 */
public final class NemesisRunner {

    private final FaultSchedule schedule;
    private final Map<NemesisKind, Nemesis> nemeses;
    private final NemesisListener listener;
    private final LongSupplier clock;
    private final Thread thread;
    private final List<String> errors = new ArrayList<>();
    private boolean stopping;
    private Fault active;
    private int injected;

    /**
     * @param nemeses the nemesis of every kind the schedule names
     * @param clock   nanoseconds since the workload started, the schedule's time base
     */
    public NemesisRunner(FaultSchedule schedule, Map<NemesisKind, Nemesis> nemeses, NemesisListener listener,
                         LongSupplier clock) {
        for (FaultSchedule.Period p : schedule.periods()) {
            if (!nemeses.containsKey(p.kind())) {
                throw new IllegalArgumentException("no nemesis for " + p.kind().cliName());
            }
        }
        this.schedule = schedule;
        this.nemeses = Map.copyOf(nemeses);
        this.listener = listener;
        this.clock = clock;
        this.thread = new Thread(this::run, "nemesis");
        this.thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    /** The fault in effect now, or null. */
    public synchronized String activeFault() {
        return active == null ? null : active.description();
    }

    /** How many faults were injected so far. */
    public synchronized int injected() {
        return injected;
    }

    /** What went wrong injecting or healing faults; empty when nothing did. */
    public synchronized List<String> errors() {
        return List.copyOf(errors);
    }

    /**
     * Ends the schedule, heals the fault in effect, and waits for both.
     *
     * @param timeout how long to wait for the nemesis thread (a restarted node may take a while)
     * @return false when the thread did not finish in time (its fault may still be in effect)
     */
    public boolean stopAndHeal(Duration timeout) {
        synchronized (this) {
            stopping = true;
            notifyAll();
        }
        if (thread.getState() == Thread.State.NEW) {
            return true;
        }
        try {
            thread.join(timeout.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return !thread.isAlive();
    }

    private void run() {
        for (FaultSchedule.Period period : schedule.periods()) {
            if (!sleepUntil(period.start())) {
                return;
            }
            Nemesis nemesis = nemeses.get(period.kind());
            Fault fault;
            try {
                fault = nemesis.inject(new Random(period.seed()));
            } catch (RuntimeException e) {
                fail("inject " + period.kind().cliName(), e);
                continue;
            }
            synchronized (this) {
                active = fault;
                injected++;
            }
            listener.started(fault.description());
            sleepUntil(period.end());
            heal(fault);
            synchronized (this) {
                if (stopping) {
                    return;
                }
            }
        }
    }

    private void heal(Fault fault) {
        try {
            fault.heal();
            listener.healed(fault.description());
        } catch (RuntimeException e) {
            fail("heal " + fault.description(), e);
        } finally {
            synchronized (this) {
                active = null;
            }
        }
    }

    private void fail(String what, RuntimeException e) {
        synchronized (this) {
            errors.add(what + ": " + e.getMessage());
        }
        listener.failed(what, e);
    }

    /** Sleeps until {@code at} on the run's clock; false when stopped first. */
    private synchronized boolean sleepUntil(Duration at) {
        long target = at.toNanos();
        // Bounded: each wait ends at the target time, or earlier on stop.
        while (!stopping) {
            long left = target - clock.getAsLong();
            if (left <= 0) {
                return true;
            }
            try {
                wait(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stopping = true;
            }
        }
        return false;
    }
}
