package io.github.dfu4j.examples;

import io.github.dfu4j.formats.FirmwareFiles;
import io.github.dfu4j.formats.FirmwareImage;
import io.github.dfu4j.libusb.DeviceFilter;
import io.github.dfu4j.libusb.UsbBackend;
import io.github.dfu4j.libusb.UsbBackends;
import io.github.dfu4j.ops.DfuDevice;
import io.github.dfu4j.ops.FlashOptions;
import io.github.dfu4j.ops.FlashResult;
import io.github.dfu4j.ops.LeaveRequest;
import io.github.dfu4j.stm32.Identification;
import io.github.dfu4j.transport.DfuTransport;
import java.nio.file.Path;

/**
 * Flashing a real board from your own program: the whole job in a few lines. Run with a firmware file
 * and an optional VID:PID, e.g. {@code FlashExample firmware.dfu 0483:df11}.
 */
public final class FlashExample {
    private FlashExample() {
    }

    public static void main(String[] args) throws Exception {
        FirmwareImage image = FirmwareFiles.read(Path.of(args[0]));
        DeviceFilter filter = DeviceFilter.builder().vidPid(args.length > 1 ? args[1] : "0483:df11").build();
        try (UsbBackend usb = UsbBackends.open();
             DfuTransport transport = usb.openInDfuMode(filter, java.time.Duration.ofSeconds(5));
             DfuDevice device = Identification.identify(transport).open(transport)) {
            FlashResult result = device.download(image,
                    FlashOptions.builder().leave(LeaveRequest.auto()).build(),
                    event -> System.err.printf("%s %.0f%%%n", event.phase(), event.fraction() * 100));
            System.out.println("verified: " + result.verified() + ", leave: " + result.leave().map(l -> l.outcome().name()).orElse("-"));
        }
    }
}
