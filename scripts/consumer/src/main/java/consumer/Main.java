package consumer;

import io.github.dfu4j.formats.FirmwareFiles;
import io.github.dfu4j.formats.FirmwareImage;
import io.github.dfu4j.libusb.UsbBackends.BackendStatus;
import io.github.dfu4j.libusb.UsbBackends;
import io.github.dfu4j.ops.DfuDevice;
import io.github.dfu4j.ops.FlashOptions;
import io.github.dfu4j.ops.FlashResult;
import io.github.dfu4j.ops.ProgressListener;
import io.github.dfu4j.sim.SimOptions;
import io.github.dfu4j.sim.SimulatedDevices;
import io.github.dfu4j.stm32.Identification;
import io.github.dfu4j.transport.DfuTransport;
import java.nio.file.Path;

/** Flashes a firmware file onto a simulated STM32F405 and reports which USB backends this application has. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) throws Exception {
        FirmwareImage image = FirmwareFiles.read(Path.of(args[0]));
        DfuTransport transport = SimulatedDevices.create("stm32f405", SimOptions.defaults()).connect();
        try (DfuDevice device = Identification.identify(transport).open(transport)) {
            FlashResult result = device.download(image, FlashOptions.builder().build(), ProgressListener.NONE);
            System.out.println("flashed and verified " + result.verification().verifiedBytes() + " bytes");
        }
        for (BackendStatus s : UsbBackends.probe()) {
            System.out.println("backend " + s.backend() + ": " + (s.available() ? "available" : "unavailable (" + s.detail() + ")"));
        }
        System.out.println("module: " + (Main.class.getModule().isNamed() ? Main.class.getModule().getName() : "unnamed (class path)"));
    }
}
