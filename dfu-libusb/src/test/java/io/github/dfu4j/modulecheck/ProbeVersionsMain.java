package io.github.dfu4j.modulecheck;

import io.github.dfu4j.libusb.UsbBackends.BackendStatus;
import io.github.dfu4j.libusb.UsbBackends;

/** Prints "BACKEND=available libusbVersion" per backend as {@code dfu doctor} probes them (JNA first): run by LibusbVersionIsolationTest. */
public final class ProbeVersionsMain {
    private ProbeVersionsMain() {
    }

    public static void main(String[] args) {
        for (BackendStatus s : UsbBackends.probe()) {
            System.out.println(s.backend() + "=" + s.available() + " " + s.libusbVersion());
        }
    }
}
