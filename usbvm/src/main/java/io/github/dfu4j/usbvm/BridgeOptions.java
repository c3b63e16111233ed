package io.github.dfu4j.usbvm;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Command line of the bridge ({@link BridgeMain}).
 *
 * @param sim           personality id of the simulated device, e.g. {@code stm32f405}
 * @param simOptions    {@code key=value} settings for the simulator ({@code --sim-option}, repeatable)
 * @param stateFile     load the simulated memory from here at start (when the file exists) and save it on exit
 * @param traceFile     one line per bridge event
 * @param realTime      empty: virtual clock (flash operations take no wall time); present: a real-time
 *                      clock running this many times faster than wall time (1.0 = real time)
 * @param udc           UDC name (default: the first one in /sys/class/udc, e.g. dummy_udc.0)
 * @param speed         bus speed the gadget offers
 * @param readyFile     touched each time the device has been put on the bus
 * @param rejoinTimeout after the device left the bus, how long to wait for it to come back (as the
 *                      simulated chip decides: BOOT0 high, a failed jump) before exiting
 * @param rawGadget     the raw_gadget device node
 * @param boards        how many boards of this personality the one bridge process serves, each on a UDC
 *                      of its own (see {@link #board(int)}); 1 unless {@code --boards N}
 */
public record BridgeOptions(String sim, List<String> simOptions, Optional<Path> stateFile, Optional<Path> traceFile,
                            Optional<Double> realTime, Optional<String> udc, RawGadgetAbi.Speed speed,
                            Optional<Path> readyFile, Duration rejoinTimeout, Path rawGadget, int boards) {

    static final String USAGE = """
            usage: usbvm-bridge --sim ID [options]
              --sim ID               simulated device personality (e.g. stm32f405, stm32h743, mboot-pybd-sf2; ID-runtime and
                             ID-runtime-reset: the application with a DFU run-time interface, bitWillDetach 1 and 0)
              --sim-option KEY=VALUE simulator setting, repeatable (boot0=high, serial=..., rdp=1, firmware-error-at-start)
              --state FILE           load simulated memory from FILE if it exists; save it there on exit
              --trace FILE           append one line per control request to FILE
              --time virtual|real[:SCALE]
                                     flash timing: virtual (instant, default) or real time, optionally sped up
              --udc NAME             UDC to bind (default: first in /sys/class/udc)
              --speed full|high      (default full, like the ST ROMs)
              --ready-file FILE      touched whenever the device has been put on the bus
              --rejoin-timeout MS    wait this long for a device that left the bus to come back (default 3000)
              --raw-gadget PATH      raw_gadget device node (default /dev/raw-gadget)
              --boards N             N boards in this one process (1-32), board i on UDC dummy_udc.(i-1) (or
                                     NAME.(i-1) with --udc NAME.0), its serial the serial= setting (default
                                     DFU4JBOARD00) with the last two characters replaced by i as two digits,
                                     and ".i" before the extension of --state, --trace and --ready-file""";
    static final int MAX_BOARDS = 32; // dummy_hcd's own limit on num

    public BridgeOptions {
        simOptions = List.copyOf(simOptions);
    }

    /**
     * Parses the command line.
     *
     * @throws IllegalArgumentException with a one-line message naming the bad argument
     */
    public static BridgeOptions parse(String... args) {
        String sim = null;
        List<String> simOptions = new ArrayList<>();
        Path state = null;
        Path trace = null;
        Double realTime = null;
        String udc = null;
        RawGadgetAbi.Speed speed = RawGadgetAbi.Speed.FULL;
        Path ready = null;
        Duration rejoin = Duration.ofSeconds(3);
        Path rawGadget = Path.of("/dev/raw-gadget");
        int boards = 1;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + a + "'");
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(a + " needs a value");
            }
            String v = args[++i];
            switch (a) {
                case "--sim" -> sim = v;
                case "--sim-option" -> {
                    if (!v.matches("[A-Za-z0-9_.-]+(=.*)?")) {
                        throw new IllegalArgumentException("--sim-option '" + v + "': expected KEY or KEY=VALUE");
                    }
                    simOptions.add(v);
                }
                case "--state" -> state = Path.of(v);
                case "--trace" -> trace = Path.of(v);
                case "--time" -> realTime = parseTime(v);
                case "--udc" -> udc = v;
                case "--speed" -> speed = switch (v.toLowerCase(Locale.ROOT)) {
                    case "full" -> RawGadgetAbi.Speed.FULL;
                    case "high" -> RawGadgetAbi.Speed.HIGH;
                    default -> throw new IllegalArgumentException("--speed '" + v + "': expected full or high");
                };
                case "--ready-file" -> ready = Path.of(v);
                case "--rejoin-timeout" -> rejoin = Duration.ofMillis(parseNonNegative(a, v));
                case "--raw-gadget" -> rawGadget = Path.of(v);
                case "--boards" -> {
                    long n = parseNonNegative(a, v);
                    if (n < 1 || n > MAX_BOARDS) {
                        throw new IllegalArgumentException("--boards '" + v + "': expected 1 to " + MAX_BOARDS);
                    }
                    boards = (int) n;
                }
                default -> throw new IllegalArgumentException("unknown option " + a);
            }
        }
        if (sim == null) {
            throw new IllegalArgumentException("--sim ID is required");
        }
        return new BridgeOptions(sim, simOptions, Optional.ofNullable(state), Optional.ofNullable(trace),
                Optional.ofNullable(realTime), Optional.ofNullable(udc), speed, Optional.ofNullable(ready), rejoin, rawGadget, boards);
    }

    /**
     * Board {@code i} (1-based) of {@code --boards N}: the options of a one-board bridge on UDC
     * {@code dummy_udc.(i-1)} (or the same base name as {@code --udc NAME.0}), with a serial of its own
     * (as the CLI numbers the boards of {@code --sim CHIP,CHIP}, docs/user-guide.md) and its own files.
     */
    public BridgeOptions board(int i) {
        if (i < 1 || i > boards) {
            throw new IllegalArgumentException("board " + i + " of " + boards);
        }
        String base = udc.map(u -> u.replaceFirst("\\.\\d+$", "")).orElse("dummy_udc");
        String serial = "DFU4JBOARD00";
        List<String> own = new ArrayList<>();
        for (String o : simOptions) {
            if (o.startsWith("serial=")) {
                serial = o.substring("serial=".length());
            } else {
                own.add(o);
            }
        }
        String stem = serial.length() >= 2 ? serial.substring(0, serial.length() - 2) : "";
        own.add("serial=" + stem + String.format(Locale.ROOT, "%02d", i));
        return new BridgeOptions(sim, own, stateFile.map(f -> numbered(f, i)), traceFile.map(f -> numbered(f, i)), realTime,
                Optional.of(base + "." + (i - 1)), speed, readyFile.map(f -> numbered(f, i)), rejoinTimeout, rawGadget, 1);
    }

    /** {@code dir/name.ext} -> {@code dir/name.i.ext} (no extension: {@code name.i}). */
    static Path numbered(Path file, int i) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String n = dot > 0 ? name.substring(0, dot) + "." + i + name.substring(dot) : name + "." + i;
        return file.resolveSibling(n);
    }

    private static Double parseTime(String v) {
        if (v.equals("virtual")) {
            return null;
        }
        if (v.equals("real")) {
            return 1.0;
        }
        if (v.startsWith("real:")) {
            try {
                double scale = Double.parseDouble(v.substring(5));
                if (scale > 0 && !Double.isInfinite(scale)) {
                    return scale;
                }
            } catch (NumberFormatException ignored) {
                // reported below
            }
        }
        throw new IllegalArgumentException("--time '" + v + "': expected virtual, real or real:SCALE with SCALE > 0");
    }

    private static long parseNonNegative(String option, String v) {
        try {
            long n = Long.parseLong(v);
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException(option + " '" + v + "': expected a non-negative number");
    }
}
