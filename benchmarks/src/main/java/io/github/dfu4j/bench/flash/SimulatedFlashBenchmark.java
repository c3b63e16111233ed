package io.github.dfu4j.bench.flash;

import io.github.dfu4j.formats.FirmwareImage;
import io.github.dfu4j.ops.DfuDevice;
import io.github.dfu4j.ops.FlashOptions;
import io.github.dfu4j.ops.FlashResult;
import io.github.dfu4j.ops.ProgressListener;
import io.github.dfu4j.sim.SimOptions;
import io.github.dfu4j.sim.SimulatedDevices;
import io.github.dfu4j.stm32.Identification;
import io.github.dfu4j.transport.DfuTransport;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * JMH companion of {@link FlashTimeModel}: the host-side cost (wall time, CPU) of one simulated 1 MiB
 * flash through identification, the STM32 profile and {@code DfuDevice.download} (no verification).
 * The device time the flash models (what it would take on hardware) is what {@link FlashTimeModel}
 * prints; this measures what dfu4j's planning and protocol code cost on this machine, which must stay
 * negligible next to it.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar SimulatedFlashBenchmark -f 1 -wi 2 -i 3
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 3)
@Fork(1)
public class SimulatedFlashBenchmark {

    @Param({"stm32f746", "stm32f405", "stm32h743", "mboot-pybd-sf2"})
    public String personality;

    FirmwareImage image;

    @Setup
    public void setUp() {
        image = BenchImage.forDevice(SimulatedDevices.create(personality), FlashTimeModel.SEED);
    }

    @Benchmark
    public FlashResult dfu4jFlash() throws Exception {
        var d = SimulatedDevices.create(personality, SimOptions.defaults().withTraceLimit(0));
        DfuTransport t = d.connect();
        FlashResult r;
        try (DfuDevice dev = Identification.identify(t).open(t)) {
            r = dev.download(image, FlashOptions.builder().verify(false).build(), ProgressListener.NONE);
        }
        return r;
    }
}
