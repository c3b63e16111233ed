package io.github.dfu4j.stm32.optionbytes;

import io.github.dfu4j.dfu.DfuException;
import io.github.dfu4j.dfu.DfuStatus;
import io.github.dfu4j.dfu.Phase;
import io.github.dfu4j.ops.Remedy;
import java.util.Optional;

/**
 * STM32 read protection (RDP) facts and the explanation of the errors it causes.
 *
 * <p>The RDP byte is 0xAA for level 0, 0xCC for level 2 and anything else for level 1 
 * (docs/reference/dfu.md §2.6, [V] HAL and OpenOCD). Under level 1 the ST ROM refuses UPLOAD and ERASE with
 * (errVENDOR, dfuERROR) ([V] AN2662), and in practice SET_ADDRESS too ([O] betaflight), so any
 * read, erase or write ends in errVENDOR. Only READ_UNPROTECT is accepted: it mass-erases the
 * flash, sets level 0 and resets the chip.
 *
 * <pre>{@code
 * try { device.upload(0, 0x08000000L, 1024, ProgressListener.NONE); }
 * catch (DfuException e) { ReadProtection.explain(e).ifPresent(System.err::println); throw e; }
 * }</pre>
 */
public final class ReadProtection {
    /** RDP byte of level 0. */
    public static final int LEVEL_0_BYTE = 0xAA;
    /** RDP byte of level 2 (irreversible). */
    public static final int LEVEL_2_BYTE = 0xCC;

    /** What is wrong when an operation fails because of RDP level 1, without the remedy. */
    public static final String PROBLEM = "read protection (RDP level 1) is active";

    /** What to do about RDP level 1: {@link Remedy.Kind#READ_UNPROTECT}. */
    public static final Remedy REMEDY = Remedy.of(Remedy.Kind.READ_UNPROTECT);

    /** What an API user sees when an operation fails because of RDP level 1: the problem and the remedy in API terms. */
    public static final String EXPLANATION = PROBLEM + "; " + REMEDY.describe();

    /** What READ_UNPROTECT does, spelled out before it is sent. */
    public static final String UNPROTECT_CONSEQUENCES = "READ_UNPROTECT makes the ST ROM mass-erase the whole flash "
            + "(your firmware and any data in flash are lost), set RDP to level 0 (0xAA) and reset the chip; "
            + "the USB device disconnects and comes back in DFU mode once the erase is done (F4: up to ~32 s)";

    private ReadProtection() {
    }

    /** Level 0, 1 or 2 of an RDP byte. */
    public static int level(int rdpByte) {
        int b = rdpByte & 0xFF;
        return b == LEVEL_0_BYTE ? 0 : b == LEVEL_2_BYTE ? 2 : 1;
    }

    /** One line per level. */
    public static String describeLevel(int level) {
        return switch (level) {
            case 0 -> "no read protection";
            case 1 -> "read protection: the ROM refuses reads, erases and writes until READ_UNPROTECT (mass erase)";
            case 2 -> "permanent protection: debug and the ROM bootloader disabled for good";
            default -> throw new IllegalArgumentException("RDP level " + level);
        };
    }

    /**
     * True when {@code error} (or a cause) is the ST ROM's answer to an operation under RDP level 1:
     * a {@link DfuException} of kind {@code DEVICE_STATUS} with errVENDOR while reading, erasing, writing (SET_ADDRESS) or
     * verifying.
     */
    public static boolean isReadProtectionError(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof DfuException s && s.kind() == DfuException.Kind.DEVICE_STATUS
                    && s.status().orElse(null) == DfuStatus.ERR_VENDOR
                    && s.phase().map(p -> p != Phase.LEAVE).orElse(true)) {
                return true;
            }
        }
        return false;
    }

    /** {@link #EXPLANATION} when {@code error} is a read-protection refusal, else empty. */
    public static Optional<String> explain(Throwable error) {
        return isReadProtectionError(error) ? Optional.of(EXPLANATION) : Optional.empty();
    }
}
