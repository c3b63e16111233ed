/**
 * STM32 knowledge as data: one {@code ChipProfile} per line (device ID,
 * flash maps per bank mode, programming unit, RAM, option bytes, erase/program times, the ROM
 * bootloader's USB identity, alt-setting strings, bwPollTimeout values, leave behaviour and
 * quirks) and one {@code MbootBoard} per MicroPython mboot board, all in
 * {@code Stm32Profiles}. Every value carries an
 * {@link io.github.dfu4j.stm32.Evidence} tag from the reference pages in docs/reference; unverified
 * numbers are marked as such.
 *
 * <p>Wired into the protocol: {@link io.github.dfu4j.stm32.Identification#identify(io.github.dfu4j.transport.DfuTransport)}
 * tells what is behind a DFU interface (an {@link io.github.dfu4j.stm32.Identification}),
 * {@link io.github.dfu4j.stm32.Stm32DeviceProfile#all()} derives a dfu-api
 * {@link io.github.dfu4j.ops.DeviceProfile} for every line and board, and
 * {@code Stm32Quirks} is the table of ROM misbehaviours with where they apply
 * and what dfu4j changes for them. See docs/stm32.md.
 *
 * <pre>{@code
 * Identification id = Identification.identify(transport);
 * try (DfuDevice dev = id.open(transport)) { dev.download(image, options, listener); }
 * }</pre>
 */
package io.github.dfu4j.stm32;

import io.github.dfu4j.stm32.internal.ChipProfile;
import io.github.dfu4j.stm32.Evidence;
import io.github.dfu4j.stm32.internal.MbootBoard;
import io.github.dfu4j.stm32.internal.Stm32Profiles;
import io.github.dfu4j.stm32.internal.Stm32Quirks;
