package io.github.dfu4j.ops;

import io.github.dfu4j.dfu.DfuException;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The write gate refused an operation before any request was sent: it would write or erase where
 * the caller did not confirm it may (option bytes, OTP, outside the layout, another device's file),
 * or where nothing may ever be written. {@link #missing()} names the confirmations that would lift
 * it; when {@link #impossible()} none can.
 */
public final class WriteRefusedException extends DfuException {
    private static final long serialVersionUID = 1L;

    private final transient List<WriteFinding> blocking;

    /**
     * A refusal of kind {@code REFUSED}; the message joins each distinct finding's message and remedy, and the
     * address is the first finding's that has one.
     *
     * @param blocking the findings that stop the operation, most serious first; at least one (copied)
     * @throws IllegalArgumentException if {@code blocking} is empty
     */
    public WriteRefusedException(List<WriteFinding> blocking) {
        super(Kind.REFUSED, describe(blocking), null, first(blocking), null, null, null, null);
        this.blocking = List.copyOf(blocking);
    }

    /** The findings that stopped the operation, most serious first. */
    public List<WriteFinding> blocking() {
        return blocking;
    }

    /** True when at least one finding cannot be lifted by any confirmation. */
    public boolean impossible() {
        return blocking.stream().anyMatch(WriteFinding::impossible);
    }

    /** The confirmations that would lift every finding that can be lifted. */
    public Set<Confirmation> missing() {
        Set<Confirmation> out = EnumSet.noneOf(Confirmation.class);
        blocking.forEach(f -> f.needs().ifPresent(out::add));
        return out;
    }

    private static String describe(List<WriteFinding> blocking) {
        if (blocking.isEmpty()) {
            throw new IllegalArgumentException("a refusal needs at least one finding");
        }
        return "refused before anything was sent: " + blocking.stream().map(WriteFinding::messageWithRemedy).distinct()
                .collect(Collectors.joining("; "));
    }

    private static Long first(List<WriteFinding> blocking) {
        return blocking.stream().filter(f -> f.address().isPresent()).map(f -> f.address().getAsLong()).findFirst().orElse(null);
    }
}
