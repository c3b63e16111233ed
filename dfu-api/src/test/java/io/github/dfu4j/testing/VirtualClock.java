package io.github.dfu4j.testing;

import io.github.dfu4j.transport.TimeSource;

import java.time.Duration;

/** A clock that only moves when something sleeps or advances it: a 30 s mass erase costs no wall time. */
public final class VirtualClock implements TimeSource {
    private long now = 1_000_000_000L;
    private long slept;

    @Override
    public long nanoTime() {
        return now;
    }

    @Override
    public void sleep(Duration duration) throws InterruptedException {
        if (Thread.currentThread().isInterrupted()) {
            throw new InterruptedException("interrupted");
        }
        if (!duration.isNegative()) {
            now += duration.toNanos();
            slept += duration.toNanos();
            fireDue();
        }
    }

    public void advance(Duration d) {
        now += d.toNanos();
        fireDue();
    }

    private long actionAt = Long.MAX_VALUE;
    private Runnable action;

    /** Runs {@code r} once, as soon as the clock has moved {@code after} past now (e.g. another thread's cancel()). */
    public void onceAfter(Duration after, Runnable r) {
        actionAt = now + after.toNanos();
        action = r;
    }

    private void fireDue() {
        if (action != null && now >= actionAt) {
            Runnable r = action;
            action = null;
            r.run();
        }
    }

    /** Total time slept by the host. */
    public Duration slept() {
        return Duration.ofNanos(slept);
    }
}
