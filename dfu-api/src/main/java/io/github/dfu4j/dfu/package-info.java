/**
 * USB DFU 1.1 and ST DfuSe protocol: requests ({@link io.github.dfu4j.dfu.DfuRequest}), states and
 * status codes, the GETSTATUS reply and functional descriptor parsers, DfuSe commands, device quirks
 * as data ({@link io.github.dfu4j.dfu.DfuQuirks}), the sans-IO core ({@link io.github.dfu4j.dfu.Exchange},
 * {@link io.github.dfu4j.dfu.Step}, {@link io.github.dfu4j.dfu.DfuProtocol}), the thin
 * {@link io.github.dfu4j.dfu.DfuDriver} that runs it on a transport, and the typed exceptions rooted
 * at {@link io.github.dfu4j.dfu.DfuException}.
 */
package io.github.dfu4j.dfu;
