/**
 * Record and replay of DFU sessions: {@link io.github.dfu4j.record.RecordingTransport} writes every
 * request, reply and wait of a session to a line-oriented text file;
 * {@link io.github.dfu4j.record.ReplayTransport} serves such a file back, strictly, for tests and
 * bug reports.
 */
package io.github.dfu4j.record;
