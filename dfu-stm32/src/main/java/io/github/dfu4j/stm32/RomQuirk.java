package io.github.dfu4j.stm32;

import io.github.dfu4j.stm32.internal.Stm32Quirks;

/**
 * Documented ROM bootloader deviations a host must survive (docs/reference/dfu.md §2.7, docs/reference/stm32.md §3.3; docs/reference/host-tools.md §9).
 * Where each applies and what dfu4j changes for it is the table in {@link Stm32Quirks}; the
 * simulator models each one (on its own personality or through
 * {@code SimOptions.withQuirk(...)}).
 */
public enum RomQuirk {
    /**
     * STM32H743/H753 rev V: erasing a bank-2 sector (at or above 0x08100000) leaves the ROM reporting
     * dfuDNBUSY forever although the erase completes; CLRSTATUS gives (errUNKNOWN, dfuERROR), a
     * second CLRSTATUS (OK, dfuIDLE). [O] betaflight PR #1861/#5348, issue #1972.
     */
    BANK2_ERASE_WEDGE,
    /**
     * H7 ROMs often leave (reset) before answering the GETSTATUS after the zero-length DNLOAD, so
     * the host sees that GETSTATUS fail. [O] nuttx weact-stm32h750, m64-misc H7A3.
     */
    LEAVES_BEFORE_MANIFEST_STATUS,
    /**
     * CLRSTATUS outside dfuERROR is acknowledged and turns into (errUNKNOWN, dfuERROR), as ST's DfuSe
     * device code does ([V] R4 DFU_ClearStatus; consistent with the H7 wedge recovery). Without
     * this quirk the request is stalled as the DFU 1.1 table says.
     */
    CLRSTATUS_OUTSIDE_ERROR_SETS_ERR_UNKNOWN,
    /**
     * F0: the boot logic enters the system bootloader when the first flash word is erased
     * (empty check). [S] ST KB "empty check".
     */
    EMPTY_CHECK_BOOT,
    /**
     * STM32F405 (F4 ROMs): the mass erase reports bwPollTimeout 100 ms but takes up to ~32 s (datasheet);
     * dfu-util overrides it to 35 s. [V] dfu-util dfuse.c.
     */
    MASS_ERASE_POLL_UNDERSTATED,
    /**
     * STM32L4-style: GETSTATUS is stalled (USB STALL, no state change) while a page erase runs;
     * dfu-util treats up to three stalls as "still busy". [V] dfu-util c15ee60, ticket 40.
     */
    STALLS_GETSTATUS_WHILE_ERASING,
    /**
     * STM32U5A9: the first GETSTATUS after a command already reports dfuDNLOAD-IDLE (the ROM finishes
     * before answering), skipping dfuDNBUSY. [V] dfu-util be49612, ticket 145.
     */
    SKIPS_DNBUSY,
    /**
     * STM32C071: the zero-length DNLOAD (leave) fails with dfuERROR unless a SET_ADDRESS was executed
     * right before it. [O] LibUsbDfu issue 13.
     */
    LEAVE_NEEDS_SET_ADDRESS,
    /**
     * STM32C5: CLRSTATUS outside dfuERROR is stalled (so neither a blind initial CLRSTATUS nor the H7
     * wedge recovery may be used). [O] betaflight-configurator PR 5300.
     */
    CLRSTATUS_STALLS_OUTSIDE_ERROR,
    /**
     * STM32G4 (G431): wTransferSize is 1024 and 2048-byte DNLOADs stall; hosts that hard-code 2048
     * fail. [O] siliconwitchery/web-stm32-updater issue 3.
     */
    LARGE_BLOCKS_STALL
}
