package io.github.dfu4j.transport;

import java.time.Duration;

/** Monotonic time and waiting, real or virtual. */
public interface TimeSource {

    /**
     * Monotonic nanoseconds, only meaningful as differences.
     *
     * @return the current time in nanoseconds, from an arbitrary origin
     */
    long nanoTime();

    /**
     * Waits {@code duration}. A virtual clock advances instead of blocking.
     *
     * @param duration how long to wait; zero or negative returns at once
     * @throws InterruptedException when the thread is interrupted while waiting
     */
    void sleep(Duration duration) throws InterruptedException;

    /**
     * The JVM's monotonic clock and {@link Thread#sleep}.
     *
     * @return the shared system clock
     */
    static TimeSource system() {
        return SystemTimeSource.INSTANCE;
    }
}

enum SystemTimeSource implements TimeSource {
    INSTANCE;

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    @Override
    public void sleep(Duration duration) throws InterruptedException {
        if (!duration.isNegative() && !duration.isZero()) {
            Thread.sleep(duration.toMillis(), (int) (duration.toNanos() % 1_000_000));
        }
    }
}
