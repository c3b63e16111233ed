package io.github.dfu4j.cli;

import io.github.dfu4j.dfu.DfuException;
import io.github.dfu4j.dfu.DfuQuirks;
import io.github.dfu4j.dfu.FunctionalDescriptor;
import io.github.dfu4j.dfu.internal.DfuDriver;
import io.github.dfu4j.transport.DevicePort;
import io.github.dfu4j.transport.DfuTransport;
import io.github.dfu4j.transport.TransportException;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;

/**
 * Run-time to DFU mode through the device port, for any transport (the simulator's run-time
 * personalities; dfu-libusb does the same on USB in UsbBackend.detachToDfuMode, with the same
 * protocol DETACH from dfu-api's driver): DFU_DETACH, then a
 * USB reset unless the functional descriptor's bitWillDetach says the device leaves the bus by itself
 * (DFU 1.1 §5.1: with bitWillDetach 0 the host must reset within wDetachTimeOut), then the bootloader
 * is found again at the same port.
 */
final class Detach {
    private Detach() {
    }

    /**
     * What was done.
     *
     * @param willDetach the descriptor's bitWillDetach
     * @param reset      whether dfu4j reset the bus after DETACH
     */
    record Sent(boolean willDetach, boolean reset) {
        String describe() {
            return willDetach ? "DETACH (bitWillDetach 1: the device leaves the bus by itself)"
                    : "DETACH, then a USB reset (bitWillDetach 0)";
        }
    }

    /** True when the transport is a run-time DFU interface (not the bootloader). */
    static boolean runtime(DfuTransport t) {
        return !t.device().dfuMode();
    }

    /** DETACH, and the USB reset bitWillDetach 0 asks for; closes {@code runtime}. */
    static Sent send(DfuTransport runtime) throws IOException {
        FunctionalDescriptor fd = FunctionalDescriptor.parse(runtime.functionalDescriptor(), runtime.device().path());
        try {
            try {
                new DfuDriver(runtime, DfuQuirks.defaults()).detach(fd);
            } catch (DfuException e) {
                // a device that detaches at once may drop off before the status stage; anything else is a failure,
                // reported as the USB error it was
                TransportException cause = e.transportError().orElseThrow(() -> e);
                if (!cause.isDisconnect()) {
                    throw cause;
                }
            }
            if (!fd.willDetach()) {
                runtime.reset();
            }
        } finally {
            runtime.close(); // an open handle can keep the OS from re-enumerating the device
        }
        return new Sent(fd.willDetach(), !fd.willDetach());
    }

    /**
     * Detaches the run-time device and opens the bootloader that comes back at its port within
     * {@code timeout}, or fails with exit 4 naming the port.
     */
    static DfuTransport toDfuMode(DfuTransport runtime, Duration timeout, java.io.PrintWriter err) throws IOException {
        DevicePort port = runtime.port();
        String was = runtime.device().vidPid() + " at " + port.path();
        long start = port.time().nanoTime();
        Sent sent = send(runtime);
        Optional<DfuTransport> back = port.awaitDfu(timeout);
        if (back.isEmpty()) {
            throw new CliException(ExitCode.NO_DEVICE, "lost " + was + " after " + sent.describe() + ": no DFU-mode device appeared"
                    + " at " + port.path() + " within " + timeout.toMillis() + " ms; now there: " + port.state().summary());
        }
        long ms = (port.time().nanoTime() - start) / 1_000_000;
        err.printf("dfu: %s was in run-time mode: sent %s; in DFU mode after %d ms%n", was, sent.describe(), ms);
        return back.get();
    }
}
