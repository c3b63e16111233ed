/**
 * USB DFU 1.1 and ST DfuSe protocol: requests ({@link io.github.dfu4j.dfu.DfuRequest}), states and
 * status codes, the GETSTATUS reply and functional descriptor parsers, DfuSe commands, device quirks
 * as data ({@link io.github.dfu4j.dfu.DfuQuirks}), the sans-IO core ({@link io.github.dfu4j.dfu.internal.Exchange},
 * {@link io.github.dfu4j.dfu.internal.Step}, {@link io.github.dfu4j.dfu.internal.DfuProtocol}), the thin
 * {@link io.github.dfu4j.dfu.internal.DfuDriver} that runs it on a transport, and {@link io.github.dfu4j.dfu.DfuException},
 * every DFU-level failure, under the checked root {@link io.github.dfu4j.transport.DeviceException}.
 */
package io.github.dfu4j.dfu;
