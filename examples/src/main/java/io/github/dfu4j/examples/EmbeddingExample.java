package io.github.dfu4j.examples;

import io.github.dfu4j.formats.FirmwareFiles;
import io.github.dfu4j.libusb.DeviceFilter;
import io.github.dfu4j.libusb.UsbBackends;
import io.github.dfu4j.ops.DfuDevice;
import io.github.dfu4j.ops.FlashOptions;
import io.github.dfu4j.ops.LeaveRequest;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The README's embedding example, compiled (EmbeddingExampleTest keeps the two the same): find an STM32
 * in DFU mode, open it with the profile dfu-stm32 supplies, flash, verify and leave.
 */
public final class EmbeddingExample {
    private EmbeddingExample() {
    }

    public static void main(String[] args) throws Exception {
        var image = FirmwareFiles.read(Path.of("firmware.dfu"));
        try (var usb = UsbBackends.open();
             var device = DfuDevice.open(usb.openInDfuMode(DeviceFilter.builder().vidPid("0483:df11").build(), Duration.ofSeconds(5)))) {
            var result = device.download(image, FlashOptions.builder().leave(LeaveRequest.auto()).build());
            System.out.println("verified: " + result.verified());
        }
    }
}
