/**
 * The operations a command-line tool or an application calls: {@link io.github.dfu4j.ops.DfuDevice}
 * opens a DFU-mode device on any {@link io.github.dfu4j.transport.DfuTransport} and downloads
 * (erase, write, verify, leave), uploads, erases and leaves, reporting progress and structured results.
 *
 * <p>Options types ({@link io.github.dfu4j.ops.FlashOptions}, and {@link io.github.dfu4j.dfu.DfuQuirks} in
 * the protocol package) are immutable and built one way, as everywhere in dfu4j: {@code builder()} starts
 * from the defaults, {@code toBuilder()} from an existing value, {@code defaults()} is the value with
 * nothing set. What the write gate may let through is said with {@link io.github.dfu4j.ops.Confirmation}s
 * ({@code confirm(Confirmation.OUTSIDE_LAYOUT)} to write outside the memory layout).
 *
 * <pre>{@code
 * FlashOptions o = FlashOptions.builder().leave(LeaveRequest.auto()).confirm(Confirmation.OUTSIDE_LAYOUT).build();
 * FlashResult r = device.download(image, o);
 * }</pre>
 */
package io.github.dfu4j.ops;
