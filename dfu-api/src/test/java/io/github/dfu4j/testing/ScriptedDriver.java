package io.github.dfu4j.testing;

import io.github.dfu4j.dfu.internal.Exchange;
import io.github.dfu4j.dfu.internal.Outcome;
import io.github.dfu4j.dfu.internal.Step;
import io.github.dfu4j.transport.TransportException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Drives a sans-IO exchange without any transport: a {@link Responder} answers each control step,
 * waits advance a fake clock, and every step is recorded for assertions.
 */
public final class ScriptedDriver {
    /** Answers a control step: return reply bytes (IN), null (OUT accepted), or throw. */
    @FunctionalInterface
    public interface Responder {
        byte[] answer(Step step, long nowNanos) throws TransportException;
    }

    private final List<Step> steps = new ArrayList<>();
    private long now = 1_000_000_000L;
    private long perRequestNanos = Duration.ofMillis(1).toNanos();

    public ScriptedDriver perRequest(Duration d) {
        perRequestNanos = d.toNanos();
        return this;
    }

    public List<Step> steps() {
        return steps;
    }

    public long now() {
        return now;
    }

    /** Control steps only (no waits, no terminal step). */
    public List<Step> requests() {
        return steps.stream().filter(s -> s instanceof Step.ControlIn || s instanceof Step.ControlOut).toList();
    }

    public List<Duration> waits() {
        return steps.stream().filter(s -> s instanceof Step.Wait).map(s -> ((Step.Wait) s).duration()).toList();
    }

    /** Runs to the end; returns the terminal step (Done or Fail). Stops after 100000 steps. */
    public Step run(Exchange<?> exchange, Responder responder) {
        Step step = exchange.start(now);
        for (int i = 0; i < 100_000; i++) {
            steps.add(step);
            if (step instanceof Step.Done || step instanceof Step.Fail) {
                return step;
            }
            Outcome outcome;
            if (step instanceof Step.Wait w) {
                now += w.duration().toNanos();
                outcome = new Outcome.Waited(now);
            } else {
                now += perRequestNanos;
                try {
                    byte[] reply = responder.answer(step, now);
                    outcome = step instanceof Step.ControlIn ? new Outcome.Received(reply, now) : new Outcome.Sent(now);
                } catch (TransportException e) {
                    if (e.kind() == TransportException.Kind.TIMEOUT) {
                        // a real USB timeout takes the request's whole timeout
                        now += (step instanceof Step.ControlIn in ? in.timeout() : ((Step.ControlOut) step).timeout()).toNanos();
                    }
                    outcome = new Outcome.Error(e, now);
                }
            }
            step = exchange.next(outcome);
        }
        throw new AssertionError("exchange did not finish in 100000 steps");
    }
}
