package io.github.dfu4j.plan;

import io.github.dfu4j.dfu.DfuException;

/**
 * The image cannot be flashed as asked: bytes outside the memory layout or in sectors that are not
 * writable (and {@code force} was not given), no layout for an alternate setting, conflicting options.
 * Thrown before the device is touched.
 */
public final class FlashPlanException extends DfuException {
    private static final long serialVersionUID = 1L;

    /** How the message tells API callers to override a refusal that {@code force} lifts. */
    private static final String FORCE_HINT = "use force to write anyway";

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
        super(forceOverrides ? reason + "; " + FORCE_HINT : reason, null, address, null, null, null);
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

    /**
     * {@link #getMessage()} with {@code advice} in place of the API's "use force to write anyway", for
     * tools that name their own override (the CLI: "add --allow-outside-layout to write anyway"). The
     * message itself when the refusal is not one force lifts.
     */
    public String messageAdvising(String advice) {
        String m = getMessage();
        return forceOverrides && m.endsWith(FORCE_HINT) ? m.substring(0, m.length() - FORCE_HINT.length()) + advice : m;
    }
}
