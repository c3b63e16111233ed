package io.github.dfu4j.stm32;

/** Documented ROM bootloader deviations a host must survive (fact sheet §2.7, §3.3). */
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
    EMPTY_CHECK_BOOT
}
