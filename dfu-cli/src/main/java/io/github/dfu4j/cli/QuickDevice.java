package io.github.dfu4j.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * The plain forms of {@code dfu flash} and {@code dfu upload}, parsed without picocli, as {@link QuickInfo}
 * does for {@code info}.
 *
 * <p>Why: picocli builds its model of a command by reflection over the annotations, and the JDK hands out
 * each annotation type as a generated {@code java.lang.reflect.Proxy} class, which no class-data archive
 * holds; with picocli's first-use set-up that is about 35 ms of CPU on a fast machine and about 1 s of every
 * {@code dfu flash} on the real-USB tier's emulated CPU (issue 11; docs/user-guide.md, "Start-up").
 *
 * <p>Accepted, in any order after the command, each option at most once (the forms scripts and the
 * README use):
 * <pre>
 *   [-v] flash [-v] FILE... [--no-verify] [--incremental] [--json] [--leave[=ADDR]] [--leave-wait S]
 *              [--base|--address ADDR] [-a|--alt ALT] [--addressing MODE] [--progress|--no-progress] DEVICE
 *   [-v] upload [-v] OUT [--address ADDR] [--length N] [-a|--alt ALT] [--json] [--progress|--no-progress] DEVICE
 *   DEVICE: [--sim ID] [--sim-time MODE] [-S|--serial S] [-p|--path P] [-d|--device V:P] [--backend NAME] [--wait N]
 * </pre>
 * An option's value follows as the next argument or after {@code =} (long names only), and does not start with
 * {@code -}; a FILE or OUT does not start with {@code -} or {@code @}. Anything else (help, {@code --}, an
 * argument file, clustered or abbreviated options, a repeated option, any other option, a value that does not
 * convert, {@code --leave} followed by a FILE) returns {@code null} and picocli parses the command line as
 * before, so every message, suggestion and help text stays picocli's. {@code QuickDeviceTest} holds the two
 * parsers to the same fields (every option and mixin) over a seeded generator of command lines, and to the
 * same output and exit code on simulated devices.
 */
final class QuickDevice {
    /** Tests turn this off to run the same command lines through picocli. */
    static volatile boolean enabled = true;

    private QuickDevice() {
    }

    /** The command picocli would build for {@code args}, or {@code null} when picocli must parse them. */
    static Callable<Integer> parse(String[] args) {
        if (!enabled) {
            return null;
        }
        int i = 0;
        boolean verbose = false;
        if (i < args.length && QuickInfo.isVerbose(args[i])) {
            verbose = true;
            i++;
        }
        if (i >= args.length) {
            return null;
        }
        String command = args[i++];
        boolean flash = command.equals("flash");
        if (!flash && !command.equals("upload")) {
            return null;
        }
        FlashCommand f = flash ? new FlashCommand() : null;
        UploadCommand u = flash ? null : new UploadCommand();
        DeviceOptions d = flash ? f.deviceOptions : u.deviceOptions;
        // picocli's defaultValue attributes (QuickDeviceTest compares every field with picocli's)
        d.simTime = "real";
        d.backend = "auto";
        d.waitSeconds = 5;
        d.leaveWaitSeconds = 2;
        if (flash) {
            f.addressing = "auto";
            f.files = new java.util.ArrayList<>();
        }
        Set<String> seen = new HashSet<>();
        try {
            for (; i < args.length; i++) {
                String a = args[i];
                if (a.isEmpty()) {
                    return null;
                }
                if (a.charAt(0) != '-') {
                    if (a.charAt(0) == '@') {
                        return null; // an argument file: picocli expands it
                    }
                    if (flash) {
                        f.files.add(a);
                    } else if (u.output != null) {
                        return null; // a second OUT: picocli's error
                    } else {
                        u.output = Path.of(a);
                    }
                    continue;
                }
                if (QuickInfo.isVerbose(a)) {
                    if (verbose) {
                        return null;
                    }
                    verbose = true;
                    continue;
                }
                String name = a;
                String value = null;
                int eq = a.indexOf('=');
                if (a.startsWith("--") && eq > 0) {
                    name = a.substring(0, eq);
                    value = a.substring(eq + 1);
                }
                String key = canonical(name, flash);
                if (key == null || !seen.add(key)) {
                    return null; // not a plain form, or repeated
                }
                if (key.equals("--leave")) {
                    // arity 0..1: picocli takes a following argument as ADDR unless it is an option
                    if (value == null && i + 1 < args.length && !args[i + 1].startsWith("-")) {
                        return null;
                    }
                    if (value != null && (value.isEmpty() || value.charAt(0) == '-')) {
                        return null; // "--leave=--json": picocli reads an option there, not ADDR
                    }
                    f.leave = value == null ? "auto" : value;
                    continue;
                }
                if (key.equals("--progress")) {
                    if (value != null) {
                        return null;
                    }
                    Boolean progress = !name.equals("--no-progress");
                    if (flash) {
                        f.progress = progress;
                    } else {
                        u.progress = progress;
                    }
                    continue;
                }
                if (isFlag(key)) {
                    if (value != null) {
                        return null;
                    }
                    setFlag(key, f, u);
                    continue;
                }
                if (value == null) {
                    if (i + 1 >= args.length) {
                        return null;
                    }
                    value = args[++i];
                }
                if (value.isEmpty() || value.charAt(0) == '-') {
                    return null; // picocli decides whether that is a value or an option
                }
                if (!setValue(key, value, f, u, d)) {
                    return null;
                }
            }
        } catch (RuntimeException e) { // a value that does not convert: picocli's message
            return null;
        }
        if (flash ? f.files.isEmpty() : u.output == null) {
            return null;
        }
        return flash ? f : u;
    }

    /** The option's key (one per option, whatever name it was given by), or null when it is not a plain form here. */
    private static String canonical(String name, boolean flash) {
        switch (name) {
            case "--sim", "--sim-time", "--backend", "--wait", "--json", "--progress", "--address":
                return name;
            case "--no-progress":
                return "--progress"; // one option, negatable
            case "-S", "--serial":
                return "--serial";
            case "-p", "--path":
                return "--path";
            case "-d", "--device":
                return "--device";
            case "-a", "--alt":
                return "--alt";
            default:
                break;
        }
        if (flash) {
            return switch (name) {
                case "--no-verify", "--incremental", "--leave", "--leave-wait", "--addressing" -> name;
                case "--base" -> "--address"; // one option, two names
                default -> null;
            };
        }
        return name.equals("--length") ? name : null;
    }

    private static boolean isFlag(String key) {
        return key.equals("--json") || key.equals("--no-verify") || key.equals("--incremental");
    }

    private static void setFlag(String key, FlashCommand f, UploadCommand u) {
        switch (key) {
            case "--json" -> {
                if (f != null) {
                    f.json = true;
                } else {
                    u.json = true;
                }
            }
            case "--no-verify" -> f.noVerify = true;
            case "--incremental" -> f.incremental = true;
            default -> throw new IllegalStateException(key);
        }
    }

    private static boolean setValue(String key, String value, FlashCommand f, UploadCommand u, DeviceOptions d) {
        switch (key) {
            case "--sim" -> d.sim = value;
            case "--sim-time" -> d.simTime = value;
            case "--backend" -> d.backend = value;
            case "--serial" -> d.serial = value;
            case "--path" -> d.path = value;
            case "--device" -> d.device = value;
            case "--wait" -> {
                if (!value.matches("[0-9]{1,9}")) {
                    return false;
                }
                d.waitSeconds = Integer.parseInt(value);
            }
            case "--leave-wait" -> {
                if (!value.matches("[0-9]{1,6}(\\.[0-9]{1,6})?")) {
                    return false;
                }
                d.leaveWaitSeconds = Double.parseDouble(value);
            }
            case "--alt" -> {
                if (f != null) {
                    f.alt = value;
                } else {
                    u.alt = value;
                }
            }
            case "--address" -> {
                Long address = Numbers.parse(value);
                if (f != null) {
                    f.base = address;
                } else {
                    u.address = address;
                }
            }
            case "--length" -> u.length = Numbers.parse(value);
            case "--addressing" -> f.addressing = value;
            default -> {
                return false;
            }
        }
        return true;
    }

    /** Runs {@code command} as picocli's execute would (DfuCli.runParsed), with the given streams. */
    static int run(Callable<Integer> command, String[] args, PrintWriter out, PrintWriter err, boolean verbose) {
        DeviceOptions d = command instanceof FlashCommand f ? f.deviceOptions : ((UploadCommand) command).deviceOptions;
        d.quickOut = out;
        d.quickErr = err;
        return DfuCli.runParsed(command, args, out, err, verbose);
    }
}
