/**
 * STM32 option bytes and read protection: per-family codecs as data
 * ({@link io.github.dfu4j.stm32.optionbytes.OptionByteLayouts}: field tables with reference-manual
 * names, bit positions, value meanings, complements, boot models), decoding and encoding
 * ({@link io.github.dfu4j.stm32.optionbytes.OptionByteLayout}), the write interlocks
 * ({@link io.github.dfu4j.stm32.optionbytes.OptionBytePolicy}: RDP level 2, RDP 1 → 0 mass erase,
 * boot selections that lock the chip in the ROM, unverified layouts), the explanation of
 * read-protection errors ({@link io.github.dfu4j.stm32.optionbytes.ReadProtection}) and the device
 * side ({@link io.github.dfu4j.stm32.optionbytes.OptionByteProgrammer}: read, write with the
 * expected reset, READ_UNPROTECT).
 */
package io.github.dfu4j.stm32.optionbytes;
