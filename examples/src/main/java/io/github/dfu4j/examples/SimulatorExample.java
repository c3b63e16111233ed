package io.github.dfu4j.examples;

import io.github.dfu4j.formats.FirmwareFiles;
import io.github.dfu4j.formats.FirmwareImage;
import io.github.dfu4j.ops.DfuDevice;
import io.github.dfu4j.ops.FlashOptions;
import io.github.dfu4j.ops.FlashResult;
import io.github.dfu4j.ops.LeaveRequest;
import io.github.dfu4j.ops.ProgressListener;
import io.github.dfu4j.sim.SimOptions;
import io.github.dfu4j.sim.SimulatedDevice;
import io.github.dfu4j.sim.SimulatedDevices;
import io.github.dfu4j.stm32.Identification;
import io.github.dfu4j.transport.DfuTransport;
import java.nio.file.Path;

/**
 * Testing your own flashing code without hardware: the same calls against a simulated STM32H743 ROM,
 * on a virtual clock so a multi-second flash takes milliseconds, then a look at the simulated chip.
 */
public final class SimulatorExample {
    private SimulatorExample() {
    }

    public static void main(String[] args) throws Exception {
        FirmwareImage image = FirmwareFiles.read(Path.of(args.length > 0 ? args[0] : "examples/firmware/blinky-h743.dfu"));
        SimulatedDevice chip = SimulatedDevices.create("stm32h743", SimOptions.defaults());
        DfuTransport transport = chip.connect();
        try (DfuDevice device = Identification.identify(transport).open(transport)) {
            FlashResult result = device.download(image, FlashOptions.builder().leave(LeaveRequest.auto()).build(), ProgressListener.NONE);
            System.out.printf("verified %d bytes in %s of simulated time; leave: %s%n", result.verification().verifiedBytes(),
                    chip.elapsed(), result.leave().orElseThrow().outcome());
        }
        System.out.println("application running: " + chip.runningApplication().map(Object::toString).orElse("no"));
    }
}
