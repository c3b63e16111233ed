package io.github.dfu4j.cli;

import io.github.dfu4j.dfu.DfuException;
import io.github.dfu4j.ops.DeviceProfile;
import io.github.dfu4j.ops.DfuDevice;
import io.github.dfu4j.stm32.Identification;
import io.github.dfu4j.stm32.Stm32Identifier;
import io.github.dfu4j.transport.DfuTransport;
import java.io.PrintWriter;

/**
 * Identifies what is behind an opened device (which STM32 ROM, mboot board, or an unknown DFU device)
 * and opens it with the matching profile: leave semantics, quirks, layout corrections.
 */
final class Profiles {
    private Profiles() {
    }

    static DeviceProfile forTransport(DfuTransport transport) {
        return Stm32Identifier.identify(transport).profile();
    }

    /** Identifies, tells the user what was found (unless quiet), and opens the device with its profile. */
    static DfuDevice open(DfuTransport transport, PrintWriter err, boolean quiet) throws DfuException {
        Identification id = Stm32Identifier.identify(transport);
        if (!quiet) {
            err.println("dfu: " + id.describe() + " at " + transport.device().path());
            for (String warning : id.warnings()) {
                err.println("dfu: warning: " + warning);
            }
            err.flush();
        }
        return id.open(transport);
    }
}
