package io.github.dfu4j.usbvm;

import io.github.dfu4j.dfu.DfuRequest;

import io.github.dfu4j.sim.Command;
import io.github.dfu4j.dfu.DfuStatus;
import io.github.dfu4j.sim.Fault;
import io.github.dfu4j.sim.FaultRule;
import io.github.dfu4j.sim.RequestMatcher;
import io.github.dfu4j.sim.SimOptions;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns the bridge's {@code --sim-option KEY=VALUE} settings into {@link SimOptions}, so guest
 * scripts can set up a simulated chip (and its faults) from the command line.
 *
 * <pre>
 * boot0=high|low                 BOOT0 pin: high = every reset and leave comes back into the bootloader
 * serial=TEXT                    iSerialNumber
 * rdp=1                          start with read protection level 1
 * firmware-error-at-start        the first GETSTATUS reports errFIRMWARE (some F4 ROMs)
 * flash-mode=MODE                flash map mode, e.g. dual
 * fault=WHAT@WHEN[#N|#N+|#*]     fault injection; WHAT: stall | timeout | disconnect[:MS] | status:ERR_X | delay:MS
 *                                WHEN: any | a DFU request (DNLOAD, GETSTATUS, ...) | cmd:KIND | getstatus:KIND
 *                                      with KIND write, erase, mass-erase, set-address, leave, read, read-unprotect
 *                                N: the Nth match (default 1); N+: from the Nth on; *: every match
 * </pre>
 */
public final class SimOptionParser {

    private static final Map<String, Class<? extends Command>> COMMANDS = Map.of(
            "write", Command.Write.class,
            "erase", Command.Erase.class,
            "mass-erase", Command.MassErase.class,
            "set-address", Command.SetAddress.class,
            "leave", Command.Leave.class,
            "read", Command.Read.class,
            "read-unprotect", Command.ReadUnprotect.class);

    private SimOptionParser() {
    }

    /**
     * Applies each setting to {@code base}.
     *
     * @throws IllegalArgumentException naming the setting that is wrong
     */
    public static SimOptions apply(SimOptions base, List<String> settings) {
        SimOptions o = base;
        for (String setting : settings) {
            int eq = setting.indexOf('=');
            String key = eq < 0 ? setting : setting.substring(0, eq);
            String value = eq < 0 ? "" : setting.substring(eq + 1);
            try {
                o = switch (key) {
                    case "boot0" -> o.withBoot0High(switch (value) {
                        case "high" -> true;
                        case "low" -> false;
                        default -> throw new IllegalArgumentException("expected high or low");
                    });
                    case "serial" -> o.withSerial(value);
                    case "rdp" -> o.withReadProtection(switch (value) {
                        case "1" -> true;
                        case "0" -> false;
                        default -> throw new IllegalArgumentException("expected 0 or 1");
                    });
                    case "firmware-error-at-start" -> o.withFirmwareErrorAtStart(!value.equals("false"));
                    case "flash-mode" -> o.withFlashMode(value);
                    case "fault" -> o.withFaults(fault(value));
                    default -> throw new IllegalArgumentException("unknown setting");
                };
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--sim-option '" + setting + "': " + e.getMessage(), e);
            }
        }
        return o;
    }

    /** Parses {@code WHAT@WHEN[#N|#N+|#*]}. */
    static FaultRule fault(String spec) {
        int at = spec.indexOf('@');
        if (at < 0) {
            throw new IllegalArgumentException("expected WHAT@WHEN, e.g. stall@DNLOAD#3");
        }
        Fault what = what(spec.substring(0, at));
        String when = spec.substring(at + 1);
        String occurrence = "1";
        int hash = when.indexOf('#');
        if (hash >= 0) {
            occurrence = when.substring(hash + 1);
            when = when.substring(0, hash);
        }
        RequestMatcher matcher = when(when);
        if (occurrence.equals("*")) {
            return FaultRule.every(matcher, what);
        }
        boolean onwards = occurrence.endsWith("+");
        int n = positive(onwards ? occurrence.substring(0, occurrence.length() - 1) : occurrence, "occurrence");
        return onwards ? FaultRule.fromNth(n, matcher, what) : FaultRule.nth(n, matcher, what);
    }

    private static Fault what(String s) {
        String[] parts = s.split(":", 2);
        String arg = parts.length > 1 ? parts[1] : null;
        return switch (parts[0]) {
            case "stall" -> Fault.stall();
            case "timeout" -> Fault.timeout();
            case "disconnect" -> arg == null ? Fault.disconnect() : new Fault.Disconnect(Duration.ofMillis(positive(arg, "ms")));
            case "delay" -> Fault.delay(Duration.ofMillis(positive(arg, "ms")));
            case "status" -> {
                try {
                    yield Fault.status(DfuStatus.valueOf(String.valueOf(arg).toUpperCase(Locale.ROOT)));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("unknown status '" + arg + "' (ERR_TARGET, ERR_WRITE, ...)", e);
                }
            }
            default -> throw new IllegalArgumentException("unknown fault '" + parts[0] + "' (stall, timeout, disconnect, status, delay)");
        };
    }

    private static RequestMatcher when(String s) {
        if (s.equals("any")) {
            return RequestMatcher.any();
        }
        if (s.startsWith("cmd:")) {
            return RequestMatcher.command(command(s.substring(4)));
        }
        if (s.startsWith("getstatus:")) {
            return RequestMatcher.getStatusFor(command(s.substring(10)));
        }
        try {
            return RequestMatcher.request(DfuRequest.valueOf(s.toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown request '" + s + "' (any, DNLOAD, GETSTATUS, ..., cmd:KIND, getstatus:KIND)", e);
        }
    }

    private static Class<? extends Command> command(String kind) {
        Class<? extends Command> c = COMMANDS.get(kind);
        if (c == null) {
            throw new IllegalArgumentException("unknown command '" + kind + "' " + COMMANDS.keySet().stream().sorted().toList());
        }
        return c;
    }

    private static int positive(String s, String what) {
        try {
            int n = Integer.parseInt(String.valueOf(s));
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException("bad " + what + " '" + s + "': expected a positive number");
    }
}
