/**
 * The firmware image model ({@link io.github.dfu4j.formats.FirmwareImage},
 * {@link io.github.dfu4j.formats.Segment}, {@link io.github.dfu4j.formats.DfuseTarget},
 * {@link io.github.dfu4j.formats.DfuSuffix}), the facade {@link io.github.dfu4j.formats.FirmwareFiles}
 * (read, detect, inspect, write), {@link io.github.dfu4j.formats.FirmwareImages} (merge, coalesce,
 * flatten) and the exception root of this module, {@link io.github.dfu4j.formats.FirmwareFormatException}
 * (the only exception type it throws). The per-format readers and
 * writers are internal: every format is reached through {@code FirmwareFiles} and its options.
 *
 * <p>Options types ({@link io.github.dfu4j.formats.ReadOptions}, {@link io.github.dfu4j.formats.WriteOptions})
 * are immutable and built one way, as everywhere in dfu4j: {@code builder()} starts from the defaults,
 * {@code toBuilder()} from an existing value, {@code defaults()} is the value with nothing set.
 *
 * <pre>{@code
 * FirmwareImage app = FirmwareFiles.read(Path.of("app.bin"), ReadOptions.builder().baseAddress(0x08008000L).build());
 * FirmwareFiles.write(Path.of("app.hex"), app, FirmwareFormat.INTEL_HEX, WriteOptions.defaults());
 * }</pre>
 */
package io.github.dfu4j.formats;
