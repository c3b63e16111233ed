/**
 * Published test-data generators: valid images and files of every format
 * ({@link io.github.dfu4j.formats.testing.FirmwareGenerators}), damaged variants of them
 * ({@link io.github.dfu4j.formats.testing.Mutations}) and the seed/budget conventions
 * ({@link io.github.dfu4j.formats.testing.Seeds}), all driven by a
 * {@link java.util.random.RandomGenerator} so any test framework can use them.
 */
package io.github.dfu4j.formats.testing;
