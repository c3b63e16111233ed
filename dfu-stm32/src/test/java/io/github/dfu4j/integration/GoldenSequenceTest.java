package io.github.dfu4j.integration;

import io.github.dfu4j.stm32.internal.Stm32Internals;
import io.github.dfu4j.testkit.GoldenFiles;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dfu4j.formats.FirmwareImage;
import io.github.dfu4j.formats.Segment;
import io.github.dfu4j.ops.DfuDevice;
import io.github.dfu4j.ops.EraseResult;
import io.github.dfu4j.ops.FlashOptions;
import io.github.dfu4j.ops.FlashResult;
import io.github.dfu4j.ops.LeaveRequest;
import io.github.dfu4j.ops.LeaveResult;
import io.github.dfu4j.ops.ProgressListener;
import io.github.dfu4j.record.RecordingTransport;
import io.github.dfu4j.sim.SimOptions;
import io.github.dfu4j.sim.SimulatedDevice;
import io.github.dfu4j.sim.SimulatedDevices;
import io.github.dfu4j.stm32.Identification;
import io.github.dfu4j.layout.Sector;
import io.github.dfu4j.stm32.internal.SpiFlash;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The safety net for restructuring the flash path (issue 10): the exact request sequence of
 * representative flows on every simulated personality, compared request for request (including the
 * data) with golden files committed under {@code src/test/resources/golden/<personality>/<flow>.rec}.
 *
 * <p>Each flow runs on a fresh simulator with the virtual clock and a fixed seeded image, through
 * the public API: the transport is wrapped in a {@link RecordingTransport}, identified with
 * {@link Identification#identify} and opened with the profile it picks, so identification is part of
 * every recording. Clock values are dropped from the recording before the comparison and data
 * longer than 32 bytes is kept as its first 32 bytes, length and SHA-256 ({@link GoldenFiles#normalise});
 * the host's waits keep their duration.
 *
 * <p>When a change to the request sequence is intended, re-record and commit the new files with a
 * message that explains the difference:
 * <pre>
 * mvn -B -o -pl dfu-stm32 -am test -Dtest=GoldenSequenceTest -Dsurefire.failIfNoSpecifiedTests=false -Ddfu4j.golden.update=true
 * </pre>
 *
 * <p>Every flow applies to every DfuSe personality (the ST ROMs and the mboot boards alike: bootloaders
 * in DFU mode that can download, upload, erase and leave). The plain DFU 1.1 personalities have no
 * erase command and take one stream: they run the download, download-no-verify, download-leave, upload
 * and leave flows, with their image at the image base. Each flow also asserts its outcome, so a
 * recording of a failing flow is never taken as golden.
 */
class GoldenSequenceTest {
    static final Path GOLDEN = Path.of("src", "test", "resources", "golden");
    private static final long SEED = 0x5EEDL;

    /** The flows, each named as its golden file. */
    enum Flow {
        /** download with the default options (erase, write, verify, no leave) */
        DOWNLOAD("download"),
        /** download with incremental(true) of the image the device already holds: nothing to write */
        INCREMENTAL_UNCHANGED("download-incremental-unchanged"),
        /** download with verify(false) */
        DOWNLOAD_NO_VERIFY("download-no-verify"),
        /** download with leave(auto): the leave through the image's reset vector follows the verify */
        DOWNLOAD_LEAVE("download-leave"),
        /** upload of 3 KiB + 77 bytes at the application base */
        UPLOAD("upload"),
        /** erase of a range from inside the application's second sector to inside its third */
        ERASE("erase"),
        /** mass erase of alt 0 (mboot erases its application sectors only) */
        MASS_ERASE("mass-erase"),
        /** leave(auto) on a device that holds the image */
        LEAVE("leave");

        final String file;

        Flow(String file) {
            this.file = file;
        }
    }

    /** The flows a plain DFU 1.1 device has: no erase commands, no incremental download. */
    static final java.util.Set<Flow> PLAIN_FLOWS = java.util.EnumSet.of(Flow.DOWNLOAD, Flow.DOWNLOAD_NO_VERIFY,
            Flow.DOWNLOAD_LEAVE, Flow.UPLOAD, Flow.LEAVE);
    /** Where a plain DFU personality puts block 0 (docs/simulator.md). */
    static final long PLAIN_IMAGE_BASE = 0x0800_4000L;

    static boolean plain(String id) {
        return id.startsWith("plain-dfu");
    }

    static long appBase(SimulatedDevice d) {
        return plain(d.id()) ? PLAIN_IMAGE_BASE : Firmware.appBase(d);
    }

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (SimulatedDevices.Entry e : SimulatedDevices.ids()) {
            for (Flow f : Flow.values()) {
                if (!plain(e.id()) || PLAIN_FLOWS.contains(f)) {
                    out.add(Arguments.of(e.id(), f));
                }
            }
        }
        return out.stream();
    }

    /**
     * A small fixed image: 6 KiB + 300 bytes of application at the application base (a vector table,
     * random bytes, some blank 2 KiB blocks), plus 3,000 bytes at the start of the last SPI flash on
     * the mboot boards.
     */
    static FirmwareImage image(SimulatedDevice d) {
        long base = appBase(d);
        List<Segment> segments = new ArrayList<>();
        segments.add(Segment.of(base, Firmware.application(base, Firmware.stackTop(Stm32Internals.chipOf(d)), 6 * 1024 + 300,
                Firmware.HANDLER, 0.3, SEED)));
        Stm32Internals.mbootBoardOf(d).ifPresent(b -> {
            SpiFlash qspi = b.spiFlash().get(b.spiFlash().size() - 1);
            segments.add(Segment.of(qspi.address(), Firmware.random(3000, SEED + 1)));
        });
        return FirmwareImage.of(segments);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void requestSequenceMatchesTheGoldenFile(String id, Flow flow) throws Exception {
        SimulatedDevice probe = SimulatedDevices.create(id, SimOptions.defaults());
        FirmwareImage image = image(probe);
        boolean preloaded = flow == Flow.INCREMENTAL_UNCHANGED || flow == Flow.LEAVE;
        SimulatedDevice d = SimulatedDevices.create(id, preloaded
                ? SimOptions.defaults().withVirtualTime().withInitialMemory(image)
                : SimOptions.defaults().withVirtualTime());
        long base = appBase(d);
        byte[] uploadContent = Firmware.random(3 * 1024 + 77, SEED + 2);
        List<Sector> sectors = Firmware.flashMap(d).sectors().stream().filter(s -> s.start() >= base).limit(3).toList();
        if (flow == Flow.UPLOAD) {
            d.writeMemory(base, uploadContent);
        }
        if (flow == Flow.ERASE || flow == Flow.MASS_ERASE) {
            for (Sector s : sectors) {
                d.writeMemory(s.start(), Firmware.random((int) Math.min(s.size(), 4096), s.start()));
            }
        }

        StringWriter recording = new StringWriter();
        String what = id + " " + flow.file;
        try (RecordingTransport t = RecordingTransport.wrap(d.connect(), recording)) {
            Identification ident = Identification.identify(t);
            DfuDevice dev = ident.open(t);
            switch (flow) {
                case DOWNLOAD, DOWNLOAD_NO_VERIFY, DOWNLOAD_LEAVE, INCREMENTAL_UNCHANGED -> {
                    FlashOptions.Builder o = FlashOptions.builder();
                    if (flow == Flow.DOWNLOAD_NO_VERIFY) {
                        o.verify(false);
                    }
                    if (flow == Flow.DOWNLOAD_LEAVE) {
                        o.leave(LeaveRequest.auto());
                    }
                    if (flow == Flow.INCREMENTAL_UNCHANGED) {
                        o.incremental(true);
                    }
                    FlashResult r = dev.download(image, o.build(), ProgressListener.NONE);
                    // a plain DFU device that is not manifestation tolerant resets into the application
                    // before it can be read back, and says so (resetBy)
                    boolean readable = !(plain(id) && id.contains("nomt"));
                    assertEquals(flow != Flow.DOWNLOAD_NO_VERIFY && readable, r.verified(), what + " verified");
                    assertEquals(flow != Flow.DOWNLOAD_NO_VERIFY && !readable, r.resetBy().isPresent(), what + " resetBy");
                    if (flow == Flow.INCREMENTAL_UNCHANGED) {
                        assertEquals(0, r.writes().blocksWritten(), what + ": nothing written, " + r);
                        assertTrue(r.writes().erased().isEmpty(), what + ": nothing erased, " + r.writes().erased());
                    } else {
                        Firmware.assertHolds(d, image);
                    }
                    if (flow == Flow.DOWNLOAD_LEAVE) {
                        assertTrue(r.leave().orElseThrow().left(), what + " left");
                    }
                }
                case UPLOAD -> assertArrayEquals(uploadContent, dev.upload(0, base, uploadContent.length, ProgressListener.NONE),
                        what);
                case ERASE -> {
                    EraseResult r = dev.erase(0, sectors.get(1).start() + 100, sectors.get(2).start() + 1,
                            ProgressListener.NONE);
                    assertEquals(2, r.erased().size(), what + " " + r.erased());
                    assertTrue(d.isErased(sectors.get(1).start(), (int) sectors.get(1).size()), what);
                    assertFalse(d.isErased(sectors.get(0).start(), 4096), what + ": the sector before is kept");
                }
                case MASS_ERASE -> {
                    EraseResult r = dev.massErase(0, ProgressListener.NONE);
                    assertTrue(r.massErase(), what + " " + r);
                    assertTrue(d.isErased(base, 4096), what + ": the application start is erased");
                }
                case LEAVE -> {
                    LeaveResult r = dev.leave(OptionalLong.empty());
                    assertTrue(r.left(), what + " " + r);
                    assertEquals(base, d.runningApplication().orElseThrow().vectorTable(), what);
                }
            }
            dev.close();
        }
        GoldenFiles.check(what, recording.toString(), GOLDEN.resolve(id).resolve(flow.file + ".rec"));
    }

    /** Long data is shortened in the golden files, but a change of any byte still changes the line. */
    @org.junit.jupiter.api.Test
    void normalisingKeepsEveryByteSignificant() {
        byte[] data = Firmware.random(2048, SEED);
        String line = "120500 +80000 out DNLOAD 2 " + java.util.HexFormat.of().formatHex(data) + " timeout=5000 -> ok";
        List<String> a = GoldenFiles.normalise(line);
        data[1000] ^= 1;
        List<String> b = GoldenFiles.normalise("1 +2 out DNLOAD 2 " + java.util.HexFormat.of().formatHex(data) + " timeout=5000 -> ok");
        assertEquals(1, a.size());
        assertTrue(a.get(0).startsWith("out DNLOAD 2 " + java.util.HexFormat.of().formatHex(data, 0, 32) + "...(2048 bytes, sha256 "),
                a.get(0));
        assertTrue(a.get(0).length() < 250, a.get(0));
        assertFalse(a.equals(b), "a changed byte 1000 must change the normalised line: " + a + " vs " + b);
        assertEquals(List.of("in GETSTATUS 0 6 timeout=5000 -> 000000000200"),
                GoldenFiles.normalise("99 +7 in GETSTATUS 0 6 timeout=5000 -> 000000000200\n"), "short data is kept whole");
    }
}
