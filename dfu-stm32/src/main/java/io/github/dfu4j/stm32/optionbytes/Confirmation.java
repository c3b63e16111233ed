package io.github.dfu4j.stm32.optionbytes;

/** An explicit permission a risky option-byte write needs from the user. */
public enum Confirmation {
    /** Write although the chip's byte layout is unverified ([U]): a wrong layout writes wrong bits. CLI: --force. */
    UNVERIFIED_LAYOUT,
    /** Write a boot selection that stops the chip from starting the application, or BOOT0 from reaching the ROM. CLI: --allow-boot-lock. */
    BOOT_LOCK,
    /** RDP level 1 → 0: the chip mass-erases its flash. CLI: --allow-mass-erase. */
    MASS_ERASE,
    /** RDP level 2: permanent, cannot be undone. CLI: --allow-rdp-level-2. */
    IRREVERSIBLE_RDP_LEVEL_2
}
