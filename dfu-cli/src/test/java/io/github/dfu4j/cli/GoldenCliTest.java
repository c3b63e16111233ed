package io.github.dfu4j.cli;

import io.github.dfu4j.stm32.internal.Stm32Internals;
import io.github.dfu4j.testkit.GoldenFiles;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.dfu4j.formats.FirmwareFiles;
import io.github.dfu4j.formats.FirmwareFormat;
import io.github.dfu4j.formats.FirmwareImage;
import io.github.dfu4j.formats.Segment;
import io.github.dfu4j.formats.WriteOptions;
import io.github.dfu4j.sim.SimulatedDevices;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden request sequences of {@code dfu} commands (issue 10's safety net for the CLI): each command
 * runs in-process on a virtual-time simulator with {@code --record FILE}, and the recording (clock
 * values dropped, see {@link GoldenFiles#normalise}) is compared request for request, data included,
 * with {@code src/test/resources/golden/cli/<personality>/<flow>.rec}.
 *
 * <p>Flows, on stm32f405, stm32h743, stm32f072 and mboot-pybd-sf2:
 * <ul>
 *   <li>{@code flash}: {@code dfu flash FILE --sim ID --sim-time virtual --sim-state S --record X}</li>
 *   <li>{@code flash-leave}: the same with {@code --leave} (no state file: a fresh device)</li>
 *   <li>{@code upload}: {@code dfu upload OUT --address BASE --length 1K} on the state the flash left</li>
 *   <li>{@code option-bytes-show}: {@code dfu option-bytes show} (not on mboot-pybd-sf2: mboot has no
 *       option-byte alt setting, the command refuses it before any request)</li>
 * </ul>
 * FILE is the committed example firmware where there is one for the chip (examples/firmware:
 * blinky-f405.dfu, blinky-h743.dfu, pybd-sf2-two-region.dfu); for the F072 it is a 2 KiB + 300 byte
 * Intel HEX application generated from a fixed seed.
 *
 * <p>Re-record after an intended change (and explain the difference in the commit):
 * <pre>
 * mvn -B -o -pl dfu-cli -am test -Dtest=GoldenCliTest -Dsurefire.failIfNoSpecifiedTests=false -Ddfu4j.golden.update=true
 * </pre>
 */
class GoldenCliTest {
    static final Path GOLDEN = Path.of("src", "test", "resources", "golden", "cli");
    static final List<String> DEVICES = List.of("stm32f405", "stm32h743", "stm32f072", "mboot-pybd-sf2");
    static final List<String> FLOWS = List.of("flash", "flash-leave", "upload", "option-bytes-show");

    @TempDir
    Path dir;

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (String id : DEVICES) {
            for (String flow : FLOWS) {
                if (flow.equals("option-bytes-show") && id.startsWith("mboot-")) {
                    continue; // mboot has no option-byte alt setting: nothing is sent
                }
                out.add(Arguments.of(id, flow));
            }
        }
        return out.stream();
    }

    /** The firmware the flows flash on {@code id}. */
    private Path firmware(String id) throws Exception {
        switch (id) {
            case "stm32f405":
                return Path.of("..", "examples", "firmware", "blinky-f405.dfu");
            case "stm32h743":
                return Path.of("..", "examples", "firmware", "blinky-h743.dfu");
            case "mboot-pybd-sf2":
                return Path.of("..", "examples", "firmware", "pybd-sf2-two-region.dfu");
            default:
                Path file = dir.resolve(id + ".hex");
                long base = 0x0800_0000L;
                long sp = Stm32Internals.chipOf(SimulatedDevices.create(id)).ram().get(0).end();
                FirmwareFiles.write(file, FirmwareImage.of(Segment.of(base, application(base, sp, 2048 + 300, 0x1C5L))),
                        FirmwareFormat.INTEL_HEX, WriteOptions.defaults());
                return file;
        }
    }

    /** A vector table (SP, reset handler) then bytes from a fixed seed. */
    private static byte[] application(long base, long sp, int length, long handlerOffset) {
        SplittableRandom rnd = new SplittableRandom(0x5EEDL);
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = (byte) rnd.nextInt(0, 255);
        }
        ByteBuffer v = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        v.putInt(0, (int) sp);
        v.putInt(4, (int) (base + handlerOffset));
        return b;
    }

    private String[] sim(String id, Path record, boolean state, String... args) {
        List<String> all = new ArrayList<>(Arrays.asList(args));
        all.addAll(List.of("--sim", id, "--sim-time", "virtual", "--record", record.toString()));
        if (state) {
            all.addAll(List.of("--sim-state", dir.resolve(id + ".state").toString()));
        }
        return all.toArray(String[]::new);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void requestSequenceMatchesTheGoldenFile(String id, String flow) throws Exception {
        Path record = dir.resolve(flow + ".rec");
        String file = firmware(id).toString();
        CliRunner r = switch (flow) {
            case "flash" -> CliRunner.run(sim(id, record, true, "flash", file));
            case "flash-leave" -> CliRunner.run(sim(id, record, false, "flash", file, "--leave"));
            case "upload" -> {
                Path setup = dir.resolve("setup.rec");
                CliRunner flash = CliRunner.run(sim(id, setup, true, "flash", file));
                assertEquals(0, flash.exitCode(), id + " setup flash: " + flash.err());
                long base = FirmwareFiles.read(firmware(id)).segments().get(0).address();
                yield CliRunner.run(sim(id, record, true, "upload", dir.resolve("out.bin").toString(),
                        "--address", "0x" + Long.toHexString(base), "--length", "1K"));
            }
            case "option-bytes-show" -> CliRunner.run(sim(id, record, false, "option-bytes", "show"));
            default -> throw new AssertionError(flow);
        };
        String what = "cli " + id + " " + flow;
        assertEquals(0, r.exitCode(), what + ": " + r.err());
        GoldenFiles.check(what, Files.readString(record, StandardCharsets.UTF_8), GOLDEN.resolve(id).resolve(flow + ".rec"));
    }

    /** Why option-bytes-show has no golden file on mboot: the command refuses the board. */
    @org.junit.jupiter.api.Test
    void mbootHasNoOptionBytesToShow() {
        CliRunner r = CliRunner.run(sim("mboot-pybd-sf2", dir.resolve("ob.rec"), false, "option-bytes", "show"));
        assertEquals(ExitCode.DEVICE_FAILURE, r.exitCode(), r.err());
        org.junit.jupiter.api.Assertions.assertTrue(r.err().contains("do not expose option bytes"), r.err());
    }
}
