package io.github.dfu4j.ops;

import java.util.List;
import java.util.Objects;

/**
 * What a caller can do about a refusal or a warning, as a code plus the data the remedy needs. The
 * library attaches remedies to its exceptions, option-byte findings and identification warnings and
 * describes them in API terms only ({@link #describe()}); a command-line tool maps each {@link Kind}
 * to its own words and flags, the way it maps {@link Confirmation}s. The library never names a flag,
 * and no caller has to search message text.
 *
 * <pre>{@code
 * catch (DfuException e) {
 *     if (e.remedy().map(Remedy::kind).orElse(null) == Remedy.Kind.EXPLICIT_LEAVE_ADDRESS) {
 *         device.leave(OptionalLong.of(resetHandler));
 *     }
 * }
 * }</pre>
 *
 * @param kind   which remedy
 * @param values its data, e.g. the {@code FIELD=VALUE} assignments of {@link Kind#SET_OPTION_BYTES}; empty
 *               for the kinds that need none
 */
public record Remedy(Kind kind, List<String> values) {

    /** The remedies the library can advise. */
    public enum Kind {
        /** Leave with an explicit address (the application's reset handler): {@code DfuDevice.leave(OptionalLong.of(addr))}. */
        EXPLICIT_LEAVE_ADDRESS,
        /** Write anyway, outside the layout or into non-writable sectors: confirm {@link Confirmation#OUTSIDE_LAYOUT}. */
        ALLOW_OUTSIDE_LAYOUT,
        /** Remove read protection with READ_UNPROTECT, which mass-erases the flash ({@link Confirmation#MASS_ERASE}). */
        READ_UNPROTECT,
        /** Write these option-byte fields; {@link #values()} holds the {@code FIELD=VALUE} assignments. */
        SET_OPTION_BYTES,
        /** Give the chip's device ID (DBGMCU_IDCODE DEV_ID) so that a specific line's profile is used. */
        DEVICE_ID,
        /** Flash with one mass erase instead of sector erases ({@code FlashOptions.massErase(true)}). */
        MASS_ERASE_INSTEAD,
        /**
         * Narrow the device filter to one device (or use every match); {@link #values()} names the criteria that
         * tell the devices apart: {@code "serial"}, {@code "path"} (the USB port path).
         */
        NARROW_SELECTION,
        /** Name a run-time device explicitly (IDs, serial or port path) so that it is detached into DFU mode. */
        NAME_RUNTIME_DEVICE
    }

    public Remedy {
        Objects.requireNonNull(kind, "kind");
        values = List.copyOf(values);
    }

    /** A remedy with its data. */
    public static Remedy of(Kind kind, String... values) {
        return new Remedy(kind, List.of(values));
    }

    /** The remedy in API terms, for messages of callers that do not map it to their own words. */
    public String describe() {
        return switch (kind) {
            case EXPLICIT_LEAVE_ADDRESS -> "pass the application's reset handler as an explicit leave address"
                    + " (DfuDevice.leave(OptionalLong.of(ADDR)))";
            case ALLOW_OUTSIDE_LAYOUT -> "confirm OUTSIDE_LAYOUT to write anyway";
            case READ_UNPROTECT -> "READ_UNPROTECT removes it and mass-erases the flash";
            case SET_OPTION_BYTES -> "to undo, set the option bytes " + String.join(" ", values);
            case DEVICE_ID -> "give the device ID for line-specific handling";
            case MASS_ERASE_INSTEAD -> "mass erase instead of sector erases (FlashOptions.massErase(true))";
            case NARROW_SELECTION -> "narrow the filter by "
                    + String.join(" or ", values.stream().map(v -> v.equals("path") ? "port path" : v).toList());
            case NAME_RUNTIME_DEVICE -> "name the run-time device by IDs, serial or port path to detach it";
        };
    }
}
