package io.github.dfu4j.libusb;

import io.github.dfu4j.transport.TimeSource;
import java.time.Duration;

/** A virtual clock: sleeping advances time at once and runs an optional hook (devices appearing). */
final class FakeClock implements TimeSource {
    long now;
    int sleeps;
    Runnable onSleep;

    @Override
    public long nanoTime() {
        return now;
    }

    @Override
    public void sleep(Duration duration) {
        now += duration.toNanos();
        sleeps++;
        if (onSleep != null) {
            onSleep.run();
        }
    }
}
