package io.github.dfu4j.transport;

import java.time.Duration;

/** Monotonic time and waiting, real or virtual. */
public interface TimeSource {

    /** Monotonic nanoseconds, only meaningful as differences. */
    long nanoTime();

    /** Waits {@code duration}. A virtual clock advances instead of blocking. */
    void sleep(Duration duration) throws InterruptedException;

    /** The JVM's monotonic clock and {@link Thread#sleep}. */
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
