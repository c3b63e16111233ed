package io.github.dfu4j.usbvm;

import io.github.dfu4j.sim.UsbControlEndpoint;
import io.github.dfu4j.transport.TimeSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The bridge serving {@link TinyDfuEndpoint} instead of a simulator personality: used by the VM's
 * smoke check ({@code usbvm/guest/smoke.sh}) to test the raw_gadget path on its own.
 */
public final class TinyBridgeMain {
    private TinyBridgeMain() {
    }

    public static void main(String[] args) throws Exception {
        BridgeOptions options = BridgeOptions.parse(args);
        TinyDfuEndpoint tiny = new TinyDfuEndpoint();
        BridgeMain.run(options, o -> new BridgedDevice() {
            @Override
            public UsbControlEndpoint endpoint() {
                return tiny;
            }

            @Override
            public TimeSource clock() {
                return TimeSource.system();
            }

            @Override
            public void saveState(Path file) throws IOException {
                Files.write(file, tiny.memory);
            }

            @Override
            public String describe() {
                return "tiny DFU 1.1 test device";
            }
        });
        System.exit(0);
    }
}
