package io.github.dfu4j.sim;

import io.github.dfu4j.transport.TimeSource;
import java.time.Duration;

/**
 * The simulated device's clock, handed to hosts as the transport's {@link TimeSource}. A virtual
 * clock only moves when someone sleeps, a transfer takes bus time, or a request waits for the busy
 * flash: a 30-second mass erase costs no wall time. A real-time clock follows the JVM's monotonic
 * clock, optionally fast-forwarded through waits by a scale factor (2.0 = every device wait and sleep
 * takes half the wall time; host work between requests still takes its own time).
 *
 * <p>Time starts at 0 when the device is created; {@link #nanoTime()} is device time in nanoseconds.
 *
 * <pre>{@code
 * SimulatedDevice d = SimulatedDevices.create("stm32f405");
 * d.clock().sleep(Duration.ofSeconds(30));           // no wall time with the default virtual clock
 * System.out.println(d.clock().nanoTime() / 1_000_000 + " ms of device time");
 * }</pre>
 */
public abstract sealed class SimClock implements TimeSource permits SimClock.Virtual, SimClock.RealTime {

    SimClock() {
    }

    /** A clock that advances only when told. */
    public static SimClock virtual() {
        return new Virtual();
    }

    /**
     * A clock that follows wall time, {@code scale} times faster (1.0 = real time).
     *
     * @throws IllegalArgumentException unless {@code scale > 0}
     */
    public static SimClock realTime(double scale) {
        return new RealTime(scale);
    }

    /** Device time since creation. */
    public Duration elapsed() {
        return Duration.ofNanos(nanoTime());
    }

    /** True for the virtual clock. */
    public abstract boolean isVirtual();

    /** Lets time pass until {@code deviceNanos} (no-op if already past). */
    abstract void passUntil(long deviceNanos);

    /** Lets {@code d} pass (uninterruptibly: used by the device model, not by hosts). */
    void pass(Duration d) {
        if (!d.isNegative() && !d.isZero()) {
            passUntil(saturatedAdd(nanoTime(), d.toNanos()));
        }
    }

    static long saturatedAdd(long a, long b) {
        long r = a + b;
        return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
    }

    static final class Virtual extends SimClock {
        private long now;

        @Override
        public synchronized long nanoTime() {
            return now;
        }

        @Override
        public void sleep(Duration duration) {
            pass(duration);
        }

        @Override
        public boolean isVirtual() {
            return true;
        }

        @Override
        synchronized void passUntil(long deviceNanos) {
            now = Math.max(now, deviceNanos);
        }
    }

    /**
     * Wall time fast-forwarded through waits: host work (the CPU time between requests) passes at wall
     * speed, and only sleeps, the device's busy waits and bus time, are shortened by {@code scale}. So
     * the clock reads what a run with the same host on a {@code scale} times faster device would
     * measure. (Multiplying all wall time by {@code scale} counted the host's own work {@code scale}
     * times over: a 4.5 s run at factor 72 read 323 s.)
     */
    static final class RealTime extends SimClock {
        private final double scale;
        private final long wallStart = System.nanoTime();
        /** Device time skipped by fast-forwarded sleeps. */
        private long skipped;

        RealTime(double scale) {
            if (!(scale > 0) || Double.isInfinite(scale)) {
                throw new IllegalArgumentException("time scale must be > 0: " + scale);
            }
            this.scale = scale;
        }

        @Override
        public synchronized long nanoTime() {
            return System.nanoTime() - wallStart + skipped;
        }

        @Override
        public void sleep(Duration duration) throws InterruptedException {
            long target = saturatedAdd(nanoTime(), duration.toNanos());
            long wait;
            while ((wait = target - nanoTime()) > 0) {
                long wallWait = Math.max(1, (long) (wait / scale));
                Thread.sleep(wallWait / 1_000_000, (int) (wallWait % 1_000_000));
                skipTo(target, wallWait);
            }
        }

        /** After sleeping {@code wallWait} of wall time, the rest of the way to {@code target} is skipped. */
        private synchronized void skipTo(long target, long wallWait) {
            long now = System.nanoTime() - wallStart + skipped;
            if (now < target) {
                skipped += Math.min(target - now, Math.max(0, (long) (wallWait * scale) - wallWait));
            }
        }

        @Override
        public boolean isVirtual() {
            return false;
        }

        @Override
        void passUntil(long deviceNanos) {
            try {
                sleep(Duration.ofNanos(Math.max(0, deviceNanos - nanoTime())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
