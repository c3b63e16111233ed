/**
 * The operations a command-line tool or an application calls: {@link io.github.dfu4j.ops.DfuDevice}
 * opens a DFU-mode device on any {@link io.github.dfu4j.transport.DfuTransport} and downloads
 * (erase, write, verify, leave), uploads, erases and leaves, reporting progress and structured results.
 */
package io.github.dfu4j.ops;
