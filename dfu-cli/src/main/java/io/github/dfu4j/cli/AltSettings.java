package io.github.dfu4j.cli;

import io.github.dfu4j.libusb.AltSelector;
import io.github.dfu4j.transport.AltSetting;
import io.github.dfu4j.transport.DfuTransport;
import java.util.OptionalInt;

/**
 * Resolves --alt N|NAME against the open device's alternate settings, with the same rules the USB
 * device filter uses ({@link AltSelector#resolveAmong}): number, exact string, string ignoring case,
 * DfuSe short name ("Internal Flash"), unique prefix of it ("option").
 */
final class AltSettings {
    private AltSettings() {
    }

    static int resolve(DfuTransport transport, String spec) {
        OptionalInt alt = AltSelector.parse(spec).resolveAmong(transport.altSettings());
        if (alt.isPresent()) {
            return alt.getAsInt();
        }
        StringBuilder known = new StringBuilder();
        for (AltSetting a : transport.altSettings()) {
            known.append(known.length() == 0 ? "" : ", ").append(a.altSetting()).append(" \"").append(a.name()).append('"');
        }
        throw new CliException(ExitCode.USAGE, "the device has no alternate setting '" + spec
                + "' (or the name fits several); it has: " + known);
    }
}
