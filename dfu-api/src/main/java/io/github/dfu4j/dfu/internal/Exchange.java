package io.github.dfu4j.dfu.internal;

/**
 * A sans-IO protocol exchange: a small state machine that describes a sequence of control transfers
 * and waits. Drive it with {@link #start(long)}, then feed each step's {@link Outcome} to
 * {@link #next(Outcome)} until it returns {@link Step.Done} (then read {@link #result()}) or
 * {@link Step.Fail}. Not thread-safe; an exchange is used once.
 *
 * @param <R> what the exchange produces
 */
public interface Exchange<R> {

    /** The first step; {@code nanoTime} is the transport clock now. */
    Step start(long nanoTime);

    /** The step after the given outcome of the previous one. */
    Step next(Outcome outcome);

    /** The result, valid once a step was {@link Step.Done}. */
    R result();
}
