package io.github.dfu4j.plan;

import io.github.dfu4j.dfu.DfuException;
import io.github.dfu4j.ops.Remedy;
import java.util.Optional;

/**
 * The image cannot be flashed as asked: bytes outside the memory layout or in sectors that are not
 * writable, no layout for an alternate setting, conflicting options. Thrown before the device is
 * touched; {@link #address()} names the first byte concerned. A refusal that confirming
 * {@code Confirmation.OUTSIDE_LAYOUT} lifts carries the remedy {@link Remedy.Kind#ALLOW_OUTSIDE_LAYOUT}
 * ({@link #remedy()}); its message ends with that advice in API terms.
 */
public final class FlashPlanException extends DfuException {
    private static final long serialVersionUID = 1L;

    /** A plan that cannot be made. */
    public FlashPlanException(String reason) {
        super(Kind.PLAN, reason, null, null, null, null, null, null);
    }

    /** A problem at an address; the address is also available from {@link #address()}. */
    public FlashPlanException(String reason, long address) {
        this(reason, address, null);
    }

    private FlashPlanException(String reason, long address, Remedy remedy) {
        super(Kind.PLAN, reason, null, address, null, null, remedy, null);
    }

    /** A refusal that allowing writes outside the layout ({@code Confirmation.OUTSIDE_LAYOUT}) lifts. */
    public static FlashPlanException outsideLayout(String reason, long address) {
        return new FlashPlanException(reason, address, Remedy.of(Remedy.Kind.ALLOW_OUTSIDE_LAYOUT));
    }
}
