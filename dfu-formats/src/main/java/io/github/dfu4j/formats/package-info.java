/**
 * The firmware image model ({@link io.github.dfu4j.formats.FirmwareImage},
 * {@link io.github.dfu4j.formats.Segment}, {@link io.github.dfu4j.formats.DfuseTarget},
 * {@link io.github.dfu4j.formats.DfuSuffix}), the facade {@link io.github.dfu4j.formats.FirmwareFiles}
 * (read, detect, inspect, write), {@link io.github.dfu4j.formats.FirmwareImages} (merge, coalesce,
 * flatten) and the one exception readers throw, {@link io.github.dfu4j.formats.FirmwareFormatException}.
 */
package io.github.dfu4j.formats;
