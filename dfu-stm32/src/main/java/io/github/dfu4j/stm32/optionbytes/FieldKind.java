package io.github.dfu4j.stm32.optionbytes;

/** What a field's value means, which decides how it is shown and checked. */
enum FieldKind {
    /** Read-protection byte: 0xAA level 0, 0xCC level 2, any other value level 1. */
    READ_PROTECTION,
    /** One bit with two named meanings. */
    FLAG,
    /** A small number with named values (e.g. BOR_LEV). */
    CHOICE,
    /** A boot address field: the address is the value shifted left by {@link OptionByteField#addressShift()}. */
    BOOT_ADDRESS,
    /** Write-protection bits, one per sector (group); active low (0 = protected) as in nWRP / WRPx. */
    WRITE_PROTECTION,
    /** Free user data (F0 DATA0/DATA1). */
    USER_DATA
}
