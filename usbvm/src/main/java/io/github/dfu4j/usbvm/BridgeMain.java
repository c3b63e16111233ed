package io.github.dfu4j.usbvm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;

/**
 * The raw_gadget bridge program: puts one simulated bootloader on the bus of a USB device
 * controller (dummy_udc inside the tier's VM) and serves it until the device leaves the bus for
 * good, or until SIGTERM. Exit codes: 0 done, 1 failure, 2 usage.
 *
 * <pre>
 * java -jar usbvm-bridge.jar --sim stm32f405 --state /tmp/f405.state --trace /tmp/trace.txt --time real
 * </pre>
 */
public final class BridgeMain {

    /** Off-bus time before a device that resets into its bootloader is put back (the hub needs to see it go). */
    static final Duration MIN_OFF_BUS = Duration.ofMillis(100);
    /** Time the last reply gets to reach the host before the device detaches. */
    static final Duration DETACH_GRACE = Duration.ofMillis(20);
    /** Connections in a row the host may drop before it was ever configured, before the bridge gives up. */
    static final int MAX_DROPPED_CONNECTIONS = 3;

    private BridgeMain() {
    }

    public static void main(String[] args) {
        BridgeOptions options;
        try {
            options = BridgeOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("usbvm-bridge: " + e.getMessage());
            System.err.println(BridgeOptions.USAGE);
            System.exit(2);
            return;
        }
        try {
            if (options.boards() == 1) {
                run(options, SimulatorDevices::create);
            } else {
                runBoards(options, SimulatorDevices::create);
            }
            System.exit(0);
        } catch (IllegalArgumentException e) {
            System.err.println("usbvm-bridge: " + e.getMessage());
            System.exit(2);
        } catch (IOException | RuntimeException e) {
            System.err.println("usbvm-bridge: " + e.getMessage());
            System.exit(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            System.exit(1);
        }
    }

    /** Creates the simulated device named by the options. */
    @FunctionalInterface
    public interface DeviceFactory {
        BridgedDevice create(BridgeOptions options) throws IOException;
    }

    /**
     * {@code --boards N}: the N boards of {@link BridgeOptions#board(int)}, each in a thread of its own,
     * in one process (one JVM start for all of them: in the tier's emulated VM several bridge JVMs
     * starting at once are too slow to answer the host's first requests in time). Returns when every
     * board has left the bus for good; a board that fails is logged and does not stop the others.
     *
     * @throws IOException when any board failed (the first failure)
     */
    public static void runBoards(BridgeOptions options, DeviceFactory factory) throws IOException, InterruptedException {
        java.util.List<Thread> threads = new java.util.ArrayList<>();
        Exception[] failures = new Exception[options.boards()];
        for (int i = 1; i <= options.boards(); i++) {
            BridgeOptions board = options.board(i);
            int n = i;
            Thread t = new Thread(() -> {
                try {
                    run(board, factory);
                } catch (IOException | RuntimeException e) {
                    log("board " + n + " (" + board.udc().orElse("?") + "): " + e.getMessage());
                    failures[n - 1] = e;
                } catch (InterruptedException e) {
                    failures[n - 1] = e;
                }
            }, "usbvm-bridge board " + i);
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        for (Exception e : failures) {
            if (e instanceof IOException io) {
                throw io;
            }
            if (e != null) {
                throw new IOException(e.getMessage(), e);
            }
        }
    }

    /** Runs the bridge until the device leaves the bus and does not come back within the rejoin timeout. */
    public static void run(BridgeOptions options, DeviceFactory factory) throws IOException, InterruptedException {
        run(options, factory, JnaRawGadget::open);
    }

    /** Opens the raw_gadget device node: {@link JnaRawGadget#open}, or a fake in tests. */
    @FunctionalInterface
    interface GadgetOpener {
        RawGadget open(Path node) throws RawGadgetException;
    }

    static void run(BridgeOptions options, DeviceFactory factory, GadgetOpener opener) throws IOException, InterruptedException {
        BridgedDevice device = factory.create(options);
        BridgeTrace trace = options.traceFile().isPresent() ? BridgeTrace.to(options.traceFile().get()) : BridgeTrace.none();
        String udc = options.udc().orElseGet(BridgeMain::firstUdc);
        String driver = udc.replaceFirst("\\.\\d+$", "");
        RawGadget[] current = new RawGadget[1];
        boolean[] stopping = new boolean[1];
        Thread saver = new Thread(() -> {
            // SIGTERM ends the JVM while the main thread sits in EVENT_FETCH: save what the device holds.
            synchronized (current) {
                stopping[0] = true;
            }
            saveState(options, device);
            synchronized (current) {
                if (current[0] != null) {
                    current[0].close();
                }
            }
            trace.close();
        }, "usbvm-bridge-shutdown");
        Runtime.getRuntime().addShutdownHook(saver);
        log(device.describe() + " on " + udc + " (" + options.speed().name().toLowerCase() + " speed, "
                + options.realTime().map(s -> "real-time x" + s).orElse("virtual time") + ")");
        int connection = 0;
        int dropped = 0;
        while (true) {
            connection++;
            RawGadget gadget = opener.open(options.rawGadget());
            synchronized (current) {
                if (stopping[0]) {
                    gadget.close();
                    return;
                }
                current[0] = gadget;
            }
            ControlBridge bridge = new ControlBridge(gadget, device.endpoint(), trace);
            try {
                gadget.init(driver, udc, options.speed());
                gadget.run();
                trace.line("ON-BUS connection " + connection);
                touch(options.readyFile());
                bridge.serve();
                dropped = 0;
                Thread.sleep(DETACH_GRACE.toMillis());
            } catch (RawGadgetException e) {
                synchronized (current) {
                    if (stopping[0]) {
                        return;
                    }
                }
                // The host gave up on the device (e.g. its first requests were answered too late, which a
                // slow emulated VM can do) and raw_gadget refuses further events: take the device off the
                // bus and put it back, as replugging a board would, a few times in a row at most.
                if (++dropped > MAX_DROPPED_CONNECTIONS || bridge.everConfigured()) {
                    throw e;
                }
                trace.line("DROPPED connection " + connection + " (" + e.getMessage() + "); reconnecting");
                log("connection " + connection + " dropped (" + e.getMessage() + "); reconnecting");
                continue;
            } finally {
                synchronized (current) {
                    current[0] = null;
                }
                gadget.close();
                if (dropped > 0) {
                    Thread.sleep(MIN_OFF_BUS.toMillis());
                }
            }
            trace.line("DETACHED after " + bridge.requests() + " requests");
            log("device left the bus after " + bridge.requests() + " requests");
            if (!awaitRejoin(device, options.rejoinTimeout())) {
                log("device stayed off the bus; exiting");
                return;
            }
            log("device is back on the bus (re-enumerating)");
        }
    }

    /** Lets device time pass until the device wants back on the bus, or the wall-clock timeout passes. */
    static boolean awaitRejoin(BridgedDevice device, Duration timeout) throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        while (!device.endpoint().connected()) {
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            device.clock().sleep(Duration.ofMillis(10));
            Thread.sleep(1);
        }
        long offBus = System.nanoTime() - start;
        if (offBus < MIN_OFF_BUS.toNanos()) {
            Thread.sleep((MIN_OFF_BUS.toNanos() - offBus) / 1_000_000 + 1);
        }
        return true;
    }

    private static void saveState(BridgeOptions options, BridgedDevice device) {
        options.stateFile().ifPresent(file -> {
            try {
                device.saveState(file);
                log("state saved to " + file);
            } catch (IOException | RuntimeException e) {
                log("cannot save state to " + file + ": " + e.getMessage());
            }
        });
    }

    private static void touch(java.util.Optional<Path> file) throws IOException {
        if (file.isPresent()) {
            Files.writeString(file.get(), Long.toString(ProcessHandle.current().pid()));
        }
    }

    /** The first UDC the kernel lists, e.g. dummy_udc.0. */
    static String firstUdc() {
        Path dir = Path.of("/sys/class/udc");
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().findFirst()
                    .orElseThrow(() -> new IllegalStateException("no UDC in /sys/class/udc (is dummy_hcd loaded?)"));
        } catch (IOException e) {
            throw new IllegalStateException("cannot list /sys/class/udc (is dummy_hcd loaded?): " + e.getMessage(), e);
        }
    }

    static void log(String message) {
        System.err.println("usbvm-bridge: " + message);
    }
}
