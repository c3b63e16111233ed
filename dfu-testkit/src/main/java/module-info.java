/**
 * Test fixtures for dfu4j, published for downstream tests (use it with test scope): seeded generators of
 * valid and damaged firmware files ({@link io.github.dfu4j.formats.testing.FirmwareGenerators},
 * {@link io.github.dfu4j.formats.testing.Mutations}, {@link io.github.dfu4j.formats.testing.Seeds}) and
 * golden-file comparison of recorded request sequences ({@link io.github.dfu4j.testkit.GoldenFiles}).
 */
module io.github.dfu4j.testkit {
    requires transitive io.github.dfu4j.formats;
    exports io.github.dfu4j.formats.testing;
    exports io.github.dfu4j.testkit;
}
