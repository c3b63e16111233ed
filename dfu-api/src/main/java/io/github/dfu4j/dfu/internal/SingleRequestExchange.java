package io.github.dfu4j.dfu.internal;

import io.github.dfu4j.dfu.DfuException;
import io.github.dfu4j.dfu.DfuRequest;
import io.github.dfu4j.dfu.DfuQuirks;
import java.util.Objects;

/** One control request without retries: GETSTATUS, GETSTATE, CLRSTATUS, ABORT, DETACH. */
public final class SingleRequestExchange<R> implements Exchange<R> {

    /** Maps the reply bytes (empty for OUT requests) to the result. */
    @FunctionalInterface
    public interface ReplyParser<R> {
        R parse(byte[] reply) throws DfuException;
    }

    private final Step request;
    private final ReplyParser<R> parser;
    private R result;
    private boolean done;

    private SingleRequestExchange(Step request, ReplyParser<R> parser) {
        this.request = request;
        this.parser = parser;
    }

    public static <R> SingleRequestExchange<R> in(DfuRequest request, int value, int length, DfuQuirks quirks,
                                                  ReplyParser<R> parser) {
        return new SingleRequestExchange<>(new Step.ControlIn(request, value, length, quirks.budgets().controlTimeout()),
                Objects.requireNonNull(parser, "parser"));
    }

    public static SingleRequestExchange<Void> out(DfuRequest request, int value, DfuQuirks quirks) {
        return new SingleRequestExchange<>(new Step.ControlOut(request, value, new byte[0], quirks.budgets().controlTimeout()),
                reply -> null);
    }

    @Override
    public Step start(long nanoTime) {
        return request;
    }

    @Override
    public Step next(Outcome outcome) {
        String name = request instanceof Step.ControlIn in ? in.request().toString()
                : ((Step.ControlOut) request).request().toString();
        if (outcome instanceof Outcome.Error e) {
            return new Step.Fail(new Failure(Failure.Kind.TRANSFER, name + " failed: " + e.error().getMessage(), null,
                    e.error()));
        }
        byte[] reply = outcome instanceof Outcome.Received r ? r.data() : new byte[0];
        try {
            result = parser.parse(reply);
        } catch (DfuException e) {
            return new Step.Fail(new Failure(Failure.Kind.PROTOCOL, e.reason(), null, null));
        }
        done = true;
        return new Step.Done();
    }

    @Override
    public R result() {
        if (!done) {
            throw new IllegalStateException("exchange not finished");
        }
        return result;
    }
}
