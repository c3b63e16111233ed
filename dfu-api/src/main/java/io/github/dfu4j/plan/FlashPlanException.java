package io.github.dfu4j.plan;

import io.github.dfu4j.dfu.DfuException;
import io.github.dfu4j.ops.Remedy;
import java.util.Optional;

/**
 * The image cannot be flashed as asked: bytes outside the memory layout or in sectors that are not
 * writable (and {@code force} was not given), no layout for an alternate setting, conflicting options.
 * Thrown before the device is touched. A refusal that {@code force} lifts carries the remedy
 * {@link Remedy.Kind#ALLOW_OUTSIDE_LAYOUT}; its message ends with that advice in API terms.
 */
public final class FlashPlanException extends DfuException {
    private static final long serialVersionUID = 1L;

    private static final Remedy FORCE = Remedy.of(Remedy.Kind.ALLOW_OUTSIDE_LAYOUT);

    private final boolean forceOverrides;

    public FlashPlanException(String reason) {
        super(reason);
        this.forceOverrides = false;
    }

    /** A problem at an address; the address is also available from {@link #address()}. */
    public FlashPlanException(String reason, long address) {
        this(reason, address, false);
    }

    private FlashPlanException(String reason, long address, boolean forceOverrides) {
        super(reason, null, address, null, null, null);
        this.forceOverrides = forceOverrides;
    }

    /** A refusal that {@code force} (PlanOptions / FlashOptions) lifts; the message ends with that advice. */
    public static FlashPlanException overridableByForce(String reason, long address) {
        return new FlashPlanException(reason, address, true);
    }

    /** True when planning again with force would accept the image. */
    public boolean forceOverrides() {
        return forceOverrides;
    }

    /** {@link Remedy.Kind#ALLOW_OUTSIDE_LAYOUT} when {@link #forceOverrides()}, else empty. */
    public Optional<Remedy> remedy() {
        return forceOverrides ? Optional.of(FORCE) : Optional.empty();
    }

    /** The message without the remedy, for tools that word the remedy themselves (the CLI names its own flag). */
    public String messageWithoutRemedy() {
        return super.getMessage();
    }

    @Override
    public String getMessage() {
        return forceOverrides ? super.getMessage() + "; " + FORCE.describe() : super.getMessage();
    }
}
