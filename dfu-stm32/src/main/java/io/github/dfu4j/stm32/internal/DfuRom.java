package io.github.dfu4j.stm32.internal;

import io.github.dfu4j.sim.BusyBehaviour;

import java.util.List;
import java.util.Objects;

/**
 * The USB DFU side of an ST system-memory bootloader (docs/reference/dfu.md §2.1, docs/reference/stm32.md §3.2, §6).
 *
 * @param usb             device identity and strings
 * @param transferSize    wTransferSize of the functional descriptor; also the multiplier of the
 *                        DfuSe block addressing (pointer + (wBlockNum - 2) * wTransferSize)
 * @param attributes      functional-descriptor bmAttributes (0x0B: CanDnload|CanUpload|WillDetach,
 *                        not manifestation tolerant)
 * @param detachTimeoutMs wDetachTimeOut (255 on every ROM seen)
 * @param extraAltSettings alt settings 1.. (alt 0, internal flash, comes from the {@link FlashMap})
 * @param polls           bwPollTimeout values the ROM reports
 * @param busy            how it behaves while a flash operation runs
 * @param getCommands     the command bytes UPLOAD block 0 (Get Commands) returns
 */
public record DfuRom(UsbIdentity usb, int transferSize, int attributes, int detachTimeoutMs,
                     List<RomAltSetting> extraAltSettings, PollTimeouts polls, BusyBehaviour busy,
                     List<Integer> getCommands) {
    /** CanDnload | CanUpload | WillDetach, manifestation intolerant: every ST ROM and mboot ([O] R2, [V] R3). */
    public static final int ATTRIBUTES_ST = 0x0B;
    /** The DfuSe version in the functional descriptor, "1.1a". */
    public static final int BCD_DFUSE = 0x011A;
    /** Get Commands reply of the ST bootloader: Get Commands, Set Address, Erase, Read Unprotect ([V] AN2662 p.70). */
    public static final List<Integer> ST_COMMANDS = List.of(0x00, 0x21, 0x41, 0x92);

    public DfuRom {
        Objects.requireNonNull(usb, "usb");
        Objects.requireNonNull(polls, "polls");
        Objects.requireNonNull(busy, "busy");
        extraAltSettings = List.copyOf(extraAltSettings);
        getCommands = List.copyOf(getCommands);
        if (transferSize <= 0 || transferSize > 0xFFFF) {
            throw new IllegalArgumentException("wTransferSize out of range: " + transferSize);
        }
    }
}
