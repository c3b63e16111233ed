package io.github.dfu4j.ops;

import io.github.dfu4j.dfu.CancellationToken;

import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * How {@link DfuDevice#download} flashes an image. Build with {@link #builder()}; {@link #defaults()}
 * verifies by read-back, does not leave DFU mode, uses block-number addressing with automatic fallback.
 *
 * <pre>{@code
 * FlashOptions o = FlashOptions.builder().leave(LeaveRequest.auto()).incremental(true).build();
 * }</pre>
 *
 * @param alt           send every segment to this alternate setting (default: each segment's DfuSe target, else 0)
 * @param verify        read back and compare everything written (default true)
 * @param incremental   read each target sector first and only erase/write sectors that differ
 * @param leave         leave DFU mode after a successful flash (default: stay)
 * @param massErase     mass erase instead of sector erases
 * @param addressing    DfuSe block addressing (default {@link AddressingMode#AUTO})
 * @param profile       overrides the device's {@link DeviceProfile} for this operation
 * @param reopenTimeout after leaving, how long to look for the device coming back in DFU mode
 *                      (wrong leave address, BOOT0 high); zero skips the check
 * @param cancellation  stops the operation between two requests
 * @param confirmations what the caller explicitly allows the write gate to let through (writes outside
 *                      the memory layout with {@link Confirmation#OUTSIDE_LAYOUT}, option bytes that lock, OTP,
 *                      another device's file, ...); none by default
 * @param resumeWait    when the device disconnects during the flash, how long it may take to come back in
 *                      DFU mode before the flash fails (default 5 s); zero: a disconnect ends the flash.
 *                      See {@link #resumeWait()}
 */
public record FlashOptions(OptionalInt alt, boolean verify, boolean incremental, LeaveRequest leave, boolean massErase,
                           AddressingMode addressing, Optional<DeviceProfile> profile,
                           Duration reopenTimeout, CancellationToken cancellation,
                           Set<Confirmation> confirmations, Duration resumeWait) {
    private static final FlashOptions DEFAULTS = new Builder().build();

    public FlashOptions {
        Objects.requireNonNull(alt, "alt");
        Objects.requireNonNull(leave, "leave");
        Objects.requireNonNull(addressing, "addressing");
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(reopenTimeout, "reopenTimeout");
        Objects.requireNonNull(cancellation, "cancellation");
        confirmations = confirmations.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(confirmations));
        if (reopenTimeout.isNegative()) {
            throw new IllegalArgumentException("reopenTimeout must not be negative");
        }
        Objects.requireNonNull(resumeWait, "resumeWait");
        if (resumeWait.isNegative()) {
            throw new IllegalArgumentException("resumeWait must not be negative");
        }
        if (alt.isPresent() && (alt.getAsInt() < 0 || alt.getAsInt() > 255)) {
            throw new IllegalArgumentException("alt setting out of range 0..255: " + alt.getAsInt());
        }
        if (massErase && incremental) {
            throw new IllegalArgumentException("incremental flashing cannot be combined with a mass erase");
        }
    }

    /**
     * A download resumes after one transient fault per sector (a stall, a timeout, or a disconnect): the
     * device is brought back to dfuIDLE, the interrupted sector erased and written again, and the flash
     * goes on; the final verification still reads back every byte of the image. After a disconnect the
     * device must come back in DFU mode within this time (it is reopened through
     * {@code DfuTransport.reopenInDfuMode}); zero fails the flash at a disconnect, as a cancellation or a
     * refusal by the device always does.
     *
     * <pre>{@code
     * FlashOptions o = FlashOptions.builder().resumeWait(Duration.ofSeconds(10)).build();
     * }</pre>
     */
    @Override
    public Duration resumeWait() {
        return resumeWait;
    }

    /** Verify by read-back, stay in DFU mode, block-number addressing with automatic fallback, no confirmations. */
    public static FlashOptions defaults() {
        return DEFAULTS;
    }

    /** A builder starting from {@link #defaults()}. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from these options. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.alt = alt;
        b.verify = verify;
        b.incremental = incremental;
        b.leave = leave;
        b.massErase = massErase;
        b.addressing = addressing;
        b.profile = profile;
        b.reopenTimeout = reopenTimeout;
        b.cancellation = cancellation;
        b.confirmations = EnumSet.noneOf(Confirmation.class);
        b.confirmations.addAll(confirmations);
        b.resumeWait = resumeWait;
        return b;
    }

    /** Builder with the defaults of {@link FlashOptions#defaults()}. */
    public static final class Builder {
        private OptionalInt alt = OptionalInt.empty();
        private boolean verify = true;
        private boolean incremental;
        private LeaveRequest leave = LeaveRequest.none();
        private boolean massErase;
        private AddressingMode addressing = AddressingMode.AUTO;
        private Optional<DeviceProfile> profile = Optional.empty();
        private Duration reopenTimeout = Duration.ofSeconds(3);
        private CancellationToken cancellation = CancellationToken.NONE;
        private EnumSet<Confirmation> confirmations = EnumSet.noneOf(Confirmation.class);
        private Duration resumeWait = Duration.ofSeconds(5);

        private Builder() {
        }

        /**
         * Sends every segment to alternate setting {@code v}, 0 to 255 (checked by {@link #build()}), instead of
         * each segment's own target.
         */
        public Builder alt(int v) { alt = OptionalInt.of(v); return this; }
        /** Each segment goes to its DfuSe target's alternate setting, else 0 (the default). */
        public Builder anyAlt() { alt = OptionalInt.empty(); return this; }
        /**
         * {@code true} (the default): read back and compare every byte written; {@code false}: nothing is read back and
         * {@link FlashResult#verified()} is false.
         */
        public Builder verify(boolean v) { verify = v; return this; }
        /**
         * {@code true}: read each target sector first and erase/write only the sectors that differ (default false;
         * not with a mass erase).
         */
        public Builder incremental(boolean v) { incremental = v; return this; }
        /**
         * Whether and where to leave DFU mode after a successful flash (default {@link LeaveRequest#none()}); not
         * null.
         */
        public Builder leave(LeaveRequest v) { leave = Objects.requireNonNull(v, "leave"); return this; }
        /**
         * {@code true}: one mass erase instead of sector erases (default false; {@link #build()} refuses it with
         * incremental).
         */
        public Builder massErase(boolean v) { massErase = v; return this; }
        /** How DfuSe data blocks are addressed (default {@link AddressingMode#AUTO}); not null. */
        public Builder addressing(AddressingMode v) { addressing = Objects.requireNonNull(v, "addressing"); return this; }
        /**
         * Uses this {@link DeviceProfile} instead of the device's for this operation; not null (default: the
         * device's own).
         */
        public Builder profile(DeviceProfile v) { profile = Optional.of(v); return this; }
        /**
         * After leaving, how long to look for the device coming back in DFU mode (default 3 s; zero skips the
         * check, negative is refused by {@link #build()}).
         */
        public Builder reopenTimeout(Duration v) { reopenTimeout = v; return this; }
        /**
         * A token another thread can cancel to stop the flash between two requests (default {@link
         * CancellationToken#NONE}).
         */
        public Builder cancellation(CancellationToken v) { cancellation = v; return this; }
        /** Adds explicit permissions for the write gate. */
        public Builder confirm(Confirmation... v) { confirmations.addAll(Arrays.asList(v)); return this; }
        /** Replaces the explicit permissions for the write gate. */
        public Builder confirmations(Set<Confirmation> v) {
            confirmations = EnumSet.noneOf(Confirmation.class);
            confirmations.addAll(v);
            return this;
        }

        /** See {@link FlashOptions#resumeWait()}: how long a device that disconnected during the flash may take to come back. */
        public Builder resumeWait(Duration v) { resumeWait = Objects.requireNonNull(v, "resumeWait"); return this; }

        /**
         * The options as set.
         *
         * @throws NullPointerException     if the reopen timeout or the cancellation token was set to null
         * @throws IllegalArgumentException if the alt setting is outside 0..255, the reopen timeout is negative, or
         *                                  incremental flashing is combined with a mass erase
         */
        public FlashOptions build() {
            return new FlashOptions(alt, verify, incremental, leave, massErase, addressing, profile,
                    reopenTimeout, cancellation, confirmations, resumeWait);
        }
    }
}
