package io.github.dfu4j.cli;

import io.github.dfu4j.libusb.DeviceFilter;
import io.github.dfu4j.libusb.DeviceFilterSyntaxException;
import io.github.dfu4j.libusb.DeviceSelectionException;
import io.github.dfu4j.ops.Remedy;
import io.github.dfu4j.dfu.DfuException;
import io.github.dfu4j.stm32.optionbytes.Finding;
import io.github.dfu4j.stm32.optionbytes.ReadProtection;

/**
 * The CLI's words and flags for the library's typed {@link Remedy} codes: the only place that turns a
 * remedy into a {@code dfu} command line (as {@link ConfirmOptions#flagFor} does for confirmations). The
 * library describes remedies in API terms and never names a flag; the CLI never reads library text to
 * find one.
 */
final class Remedies {
    private Remedies() {
    }

    /** What to do, in the CLI's terms, e.g. "to undo: dfu option-bytes set BOOT_SEL=1". */
    static String advice(Remedy r) {
        return switch (r.kind()) {
            case EXPLICIT_LEAVE_ADDRESS -> "pass the application's reset handler as an explicit leave address"
                    + " (dfu leave --address ADDR)";
            case ALLOW_OUTSIDE_LAYOUT -> "add --allow-outside-layout to write anyway";
            case READ_UNPROTECT -> "`dfu unprotect --force` removes it and mass-erases the flash";
            case SET_OPTION_BYTES -> "to undo: dfu option-bytes set " + String.join(" ", r.values());
            case DEVICE_ID -> "pass the device ID (--device-id) for line-specific handling";
            case MASS_ERASE_INSTEAD -> "mass erase instead of sector erases: dfu flash FILE --mass-erase --force";
            case NARROW_SELECTION -> "pick one with " + String.join(" or ", r.values().stream()
                    .map(v -> v.equals("serial") ? "--serial SERIAL" : "--path PATH").toList())
                    + ", or flash them all at once with --all";
            case NAME_RUNTIME_DEVICE -> "to detach one, name it with --device VID:PID, --serial or --path";
        };
    }

    /** The CLI flag that sets each device filter criterion. */
    static String flagFor(DeviceFilter.Field field) {
        return switch (field) {
            case VID_PID -> "--device";
            case SERIAL -> "--serial";
            case PATH -> "--path";
            case ALT -> "--alt";
        };
    }

    /** An option-byte finding's message with its remedy in the CLI's words. */
    static String finding(Finding f) {
        return f.remedy().map(r -> f.message() + "; " + advice(r)).orElse(f.message());
    }

    /** RDP level 1 is active, and what the CLI offers against it. */
    static String readProtection() {
        return ReadProtection.PROBLEM + "; " + advice(ReadProtection.REMEDY);
    }

    /**
     * The exception's message with its remedy (if it carries one) in the CLI's words instead of the
     * API's; any other exception's message as it is.
     */
    static String message(Throwable ex) {
        if (ex instanceof DfuException d && d.remedy().isPresent()) { // e.g. no leave address, outside the layout
            return d.messageWithoutRemedy() + "; " + advice(d.remedy().get());
        }
        if (ex instanceof DeviceFilterSyntaxException f) {
            return flagFor(f.field()) + " \"" + f.value() + "\": offset " + f.offset() + ": " + f.reason();
        }
        if (ex instanceof DeviceSelectionException s) {
            return s.messageWith(Remedies::advice);
        }
        return ex.getMessage();
    }
}
