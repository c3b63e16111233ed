/**
 * STM32 knowledge as data: one {@link io.github.dfu4j.stm32.ChipProfile} per line (device ID,
 * flash maps per bank mode, programming unit, RAM, option bytes, erase/program times, the ROM
 * bootloader's USB identity, alt-setting strings, bwPollTimeout values, leave behaviour and
 * quirks) and one {@link io.github.dfu4j.stm32.MbootBoard} per MicroPython mboot board, all in
 * {@link io.github.dfu4j.stm32.Stm32Profiles}. Every value carries an
 * {@link io.github.dfu4j.stm32.Evidence} tag from the project's STM32 fact sheet; unverified
 * numbers are marked as such.
 */
package io.github.dfu4j.stm32;
