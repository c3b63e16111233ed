package io.github.dfu4j.sim;

import io.github.dfu4j.stm32.internal.ChipProfile;
import io.github.dfu4j.stm32.internal.Stm32Profiles;
import java.util.List;
import java.util.Objects;

/**
 * One plain DFU 1.1 (not DfuSe) bootloader personality: what its functional descriptor says and where
 * its firmware goes. It stands for the small generic DFU 1.1 bootloaders dfu-util's documentation lists
 * next to the DfuSe ones, e.g. a 16 KB bootloader on a Cortex-M0 part that takes one contiguous
 * application image [U: a composite, not one measured product]. The chip profile (STM32F072: 2 KB pages,
 * half-word programming, 16 KB SRAM) only supplies flash timing, the programming unit and the RAM a valid
 * vector table's stack pointer must point into.
 *
 * @param id                    what {@code --sim} takes
 * @param manifestationTolerant bitManifestationTolerant: after manifestation back in dfuIDLE (1), or
 *                              dfuMANIFEST-WAIT-RESET until a USB reset (0) (DFU 1.1 §4.1.3, §7)
 * @param willDetach            bitWillDetach: on DFU_DETACH (and, not tolerant, after manifestation) the
 *                              device does the detach-attach itself (1) or waits for the host's USB reset (0)
 * @param transferSize          wTransferSize (SimOptions#transferSize overrides it, 1..65535)
 * @param imageBase             where block 0 of a download goes
 * @param imageSize             the image area; UPLOAD returns exactly this many bytes, then a short frame
 */
record PlainDfuVariant(String id, boolean manifestationTolerant, boolean willDetach, int transferSize, long imageBase,
                       int imageSize) {
    /** The part behind every plain DFU personality. */
    static final ChipProfile CHIP = Stm32Profiles.STM32F072;
    /** After a 16 KB bootloader in the F072's 128 KB flash. */
    static final long IMAGE_BASE = 0x0800_4000L;
    /** 64 KB: the fixed upload size. */
    static final int IMAGE_SIZE = 64 * 1024;

    static final List<PlainDfuVariant> ALL = List.of(
            new PlainDfuVariant("plain-dfu", true, true, 1024, IMAGE_BASE, IMAGE_SIZE),
            new PlainDfuVariant("plain-dfu-nomt", false, true, 1024, IMAGE_BASE, IMAGE_SIZE),
            new PlainDfuVariant("plain-dfu-nodetach", true, false, 1024, IMAGE_BASE, IMAGE_SIZE),
            new PlainDfuVariant("plain-dfu-nomt-nodetach", false, false, 1024, IMAGE_BASE, IMAGE_SIZE));

    PlainDfuVariant {
        Objects.requireNonNull(id, "id");
        if (transferSize < 1 || transferSize > 0xFFFF || imageSize < 1) {
            throw new IllegalArgumentException(id + ": bad transfer or image size");
        }
    }

    /** bmAttributes: bitCanDnload, bitCanUpload, bitManifestationTolerant, bitWillDetach (DFU 1.1 table 4.2). */
    int attributes() {
        return 0x01 | 0x02 | (manifestationTolerant ? 0x04 : 0) | (willDetach ? 0x08 : 0);
    }

    String describe() {
        return "plain DFU 1.1 bootloader (not DfuSe), manifestation " + (manifestationTolerant ? "tolerant" : "not tolerant")
                + ", bitWillDetach " + (willDetach ? 1 : 0) + ", wTransferSize " + transferSize + ", "
                + imageSize / 1024 + " KB image at " + String.format("0x%08X", imageBase);
    }
}
