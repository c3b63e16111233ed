/**
 * Test helpers shared by dfu4j's own test suites and published for downstream ones:
 * {@link io.github.dfu4j.testkit.GoldenFiles} compares a recorded request sequence with a committed file.
 */
package io.github.dfu4j.testkit;
