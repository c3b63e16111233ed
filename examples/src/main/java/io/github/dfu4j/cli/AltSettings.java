package io.github.dfu4j.cli;

import io.github.dfu4j.transport.AltSetting;
import io.github.dfu4j.transport.DfuTransport;

/** Resolves --alt N|NAME against the device's alternate settings. */
final class AltSettings {
    private AltSettings() {
    }

    static int resolve(DfuTransport transport, String spec) {
        for (AltSetting a : transport.altSettings()) {
            if (String.valueOf(a.altSetting()).equals(spec.strip())) {
                return a.altSetting();
            }
        }
        for (AltSetting a : transport.altSettings()) {
            String name = a.name().startsWith("@") ? a.name().substring(1) : a.name();
            int slash = name.indexOf('/');
            String shortName = (slash >= 0 ? name.substring(0, slash) : name).strip();
            if (shortName.equalsIgnoreCase(spec.strip()) || a.name().equals(spec)) {
                return a.altSetting();
            }
        }
        StringBuilder known = new StringBuilder();
        for (AltSetting a : transport.altSettings()) {
            known.append(known.length() == 0 ? "" : ", ").append(a.altSetting()).append(" \"").append(a.name()).append('"');
        }
        throw new CliException(ExitCode.USAGE, "the device has no alternate setting '" + spec + "'; it has: " + known);
    }
}
