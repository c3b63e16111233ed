package io.github.dfu4j.cli;

import java.io.InputStream;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code dfu util ARGS...}: dfu-util 0.11's command line (its manual page, doc/dfu-util.1 of the dfu-util
 * repository) on top of dfu4j's own commands. Each dfu-util job becomes the dfu command that does it
 * ({@code -D} flash, {@code -U} upload, {@code -l} list, {@code -s :leave} leave, {@code :mass-erase}
 * erase, {@code :unprotect} unprotect), run in-process, so the same verification and write gate apply.
 * Where dfu4j differs on purpose it says so in one line on stderr ("dfu util: differs: ..."); an
 * option dfu4j cannot honour yet ends the run before the device is touched with one line and exit
 * {@link ExitCode#NOT_SUPPORTED}. docs/dfu-util-compat.md tables both.
 */
final class UtilCommand {
    /** Prefix of every line the front end prints itself. */
    static final String PREFIX = "dfu util: ";
    /** Where flash places a raw binary without an address (its --base default). */
    static final String DEFAULT_BASE = "0x08000000";

    private UtilCommand() {
    }

    /** Runs {@code args} (the words after "util"); {@code dfu} runs one dfu command line and returns its exit code. */
    static int run(List<String> args, PrintWriter out, PrintWriter err, java.util.function.Function<String[], Integer> dfu) {
        UtilArgs a;
        try {
            a = UtilArgs.parse(args);
        } catch (UtilArgs.UsageException e) {
            err.println(PREFIX + e.getMessage() + "; try 'dfu util --help'");
            err.flush();
            return ExitCode.USAGE;
        }
        try {
            List<String[]> steps = plan(a, out, err);
            int code = ExitCode.OK;
            for (String[] step : steps) {
                code = dfu.apply(step);
                if (code != ExitCode.OK) {
                    break;
                }
            }
            return code;
        } catch (UtilArgs.UsageException e) {
            err.println(PREFIX + e.getMessage());
            return ExitCode.USAGE;
        } catch (NotSupported e) {
            err.println(PREFIX + e.getMessage() + ": not supported yet by dfu util (nothing was done)");
            return ExitCode.NOT_SUPPORTED;
        } finally {
            err.flush();
            out.flush();
        }
    }

    /** An option dfu util cannot honour yet. */
    static final class NotSupported extends Exception {
        private static final long serialVersionUID = 1L;

        NotSupported(String what) {
            super(what);
        }
    }

    /** The dfu command lines that do what {@code a} asks; empty when it was only help or version. */
    static List<String[]> plan(UtilArgs a, PrintWriter out, PrintWriter err) throws UtilArgs.UsageException, NotSupported {
        if (a.has('h')) {
            out.print(help());
            return List.of();
        }
        if (a.has('V')) {
            String[] version = new DfuCli.Version().getVersion();
            out.println("dfu util (dfu-util 0.11 command line) - " + (version.length > 0 ? version[0] : "dfu4j"));
            return List.of();
        }
        List<Character> modes = a.order.stream().filter(c -> "leDU".indexOf(c) >= 0).distinct().toList();
        if (modes.size() > 1) {
            throw new UtilArgs.UsageException("-" + modes.get(0) + " and -" + modes.get(1) + " cannot be combined (one job per run)");
        }
        for (char c : new char[] {'n'}) {
            if (a.has(c)) {
                throw new NotSupported("-" + c + " (" + UNSUPPORTED.get(c) + ")");
            }
        }
        String transferSize = a.has('t') ? transferSize(a.get('t')) : null;
        DfuseAddress s = a.has('s') ? DfuseAddress.parse(a.get('s')) : null;
        for (char c : new char[] {'c', 'i'}) {
            if (a.has(c)) {
                err.println(PREFIX + "differs: -" + c + " " + a.get(c) + " is ignored; dfu4j finds the DFU interface itself");
            }
        }
        List<String> common = new ArrayList<>();
        if (a.verbose > 0) {
            common.add("-v");
        }
        addIf(common, a, 'd', "--device");
        addIf(common, a, 'p', "--path");
        if (a.has('S')) {
            common.add("--serial");
            common.add(serial(a.get('S')));
        }
        addIf(common, a, 'E', "--wait");
        if (a.has('w')) {
            // dfu-util waits without end; dfu --wait-device takes at most an hour
            err.println(PREFIX + "differs: -w waits at most " + WAIT_DEVICE_MAX + " s (--wait-device)");
            common.add("--wait-device");
            common.add(WAIT_DEVICE_MAX);
        }
        common.addAll(a.sim);
        char mode = modes.isEmpty() ? ' ' : modes.get(0);
        if (transferSize != null && mode != 'D' && mode != 'U') {
            err.println(PREFIX + "differs: -t applies to -D and -U only; ignored");
        }
        if (s != null && s.modifiers().contains("will-reset") && mode != 'D') {
            throw new UtilArgs.UsageException("-s ...:will-reset describes a download; it needs -D");
        }
        List<String[]> steps = switch (mode) {
            case 'l' -> one(list(a));
            case 'e' -> {
                err.println(PREFIX + "differs: -e waits for the bootloader to appear at the port (dfu detach);"
                        + " dfu-util exits right after the request");
                List<String> l = new ArrayList<>(List.of("detach"));
                l.addAll(common);
                yield one(l.toArray(String[]::new));
            }
            case 'D' -> withTransferSize(download(a, s, common, err), transferSize);
            case 'U' -> withTransferSize(upload(a, s, common, err), transferSize);
            default -> special(a, s, common);
        };
        if (a.has('R')) {
            if (mode == 'l' || mode == 'e' || (s != null && s.modifiers().contains("leave"))) {
                err.println(PREFIX + "differs: -R is ignored " + (mode == 'l' ? "with -l" : mode == 'e' ? "with -e"
                        : "after :leave (the device has left DFU mode)"));
            } else {
                List<String> reset = new ArrayList<>(List.of("reset"));
                reset.addAll(common);
                steps = new ArrayList<>(steps);
                steps.add(reset.toArray(String[]::new));
            }
        }
        return steps;
    }

    /** What -w becomes: dfu's --wait-device maximum. */
    static final String WAIT_DEVICE_MAX = "3600";

    private static final java.util.Map<Character, String> UNSUPPORTED = java.util.Map.of('n', "device number");

    /** -t SIZE as dfu-util reads it (a decimal count of bytes), checked 1..65535; the device's limit is checked later. */
    static String transferSize(String text) throws UtilArgs.UsageException {
        try {
            int n = Integer.parseInt(text.trim());
            if (n >= 1 && n <= 0xFFFF) {
                return Integer.toString(n);
            }
        } catch (NumberFormatException e) {
            // the message below
        }
        throw new UtilArgs.UsageException("-t " + text + ": the transfer size must be 1..65535 bytes");
    }

    /** The flash or upload step (the first) with --transfer-size, when -t gave one. */
    private static List<String[]> withTransferSize(List<String[]> steps, String size) {
        if (size == null) {
            return steps;
        }
        List<String[]> out = new ArrayList<>(steps);
        List<String> first = new ArrayList<>(List.of(out.get(0)));
        first.add("--transfer-size");
        first.add(size);
        out.set(0, first.toArray(String[]::new));
        return out;
    }

    private static String[] list(UtilArgs a) {
        List<String> l = new ArrayList<>(List.of("list"));
        int sim = a.sim.indexOf("--sim");
        if (sim >= 0) {
            l.add("--sim"); // dfu list --sim CHIP[,CHIP...] lists those boards as USB would; the other --sim-* do not apply
            l.add(a.sim.get(sim + 1));
        }
        addIf(l, a, 'd', "--device");
        addIf(l, a, 'p', "--path");
        if (a.has('S')) {
            l.add("--serial");
            l.add(serial(a.get('S')));
        }
        if (a.verbose > 0) {
            l.add("-v");
        }
        return l.toArray(String[]::new);
    }

    private static List<String[]> download(UtilArgs a, DfuseAddress s, List<String> common, PrintWriter err)
            throws NotSupported {
        String file = a.get('D');
        if (s != null && s.modifiers().contains("unprotect")) {
            err.println(PREFIX + "differs: like dfu-util, :unprotect removes read protection and does not write " + file);
            return one(unprotect(s, common));
        }
        List<String> l = new ArrayList<>(List.of("flash"));
        String address = s != null ? s.address() : null;
        if (address == null && !file.equals("-")
                && io.github.dfu4j.formats.FirmwareFormat.forFileName(java.nio.file.Path.of(file).getFileName().toString()).isEmpty()) {
            // dfu-util writes any file as raw bytes; dfu4j detects the format by content and name, so a name
            // without a known extension (uImage, *.jffs2) is given as a raw binary at flash's default base
            address = DEFAULT_BASE;
            err.println(PREFIX + "differs: " + file + " has no known firmware extension; written as a raw binary at "
                    + DEFAULT_BASE + " (give -s ADDRESS to place it)");
        }
        l.add(address != null ? file + "@" + address : file);
        if (address == null && file.equals("-")) {
            // stdin has no name to tell a raw binary by: content of no known format is raw bytes at flash's default base
            l.add("--base");
            l.add(DEFAULT_BASE);
        }
        addIf(l, a, 'a', "--alt");
        l.addAll(common);
        if (s != null) {
            if (s.length() != null) {
                err.println(PREFIX + "differs: the length in -s applies to -U; -D writes the whole file");
            }
            if (s.modifiers().contains("leave")) {
                // as dfu-util: start the application at the address the image was written to, when one was given
                l.add(s.address() != null ? "--leave=" + s.address() : "--leave");
            }
            if (s.modifiers().contains("mass-erase")) {
                l.add("--mass-erase");
                if (s.modifiers().contains("force")) {
                    l.add("--force");
                }
            } else if (s.modifiers().contains("force") && !s.modifiers().contains("will-reset")) {
                err.println(PREFIX + "differs: :force confirms only writes outside the memory layout"
                        + " (--allow-outside-layout); every other check stays");
                l.add("--allow-outside-layout");
            }
        }
        if (s != null && s.modifiers().contains("will-reset")) {
            // the write gate still reviews the write; the device leaving the bus afterwards is its expected end
            l.add("--expect-reset");
            if (s.modifiers().contains("force")) {
                l.add("--allow-outside-layout");
            }
            err.println(PREFIX + "differs: after a :will-reset write dfu4j looks for the device in DFU mode again (--leave-wait)"
                    + " and reads the bytes back if it comes back; if it does not, the write is reported not verified (exit "
                    + ExitCode.RESET_NOT_VERIFIED + ")");
        }
        err.println(PREFIX + "differs: dfu4j reads the written memory back and compares it (dfu-util does not verify)");
        return one(l.toArray(String[]::new));
    }

    private static List<String[]> upload(UtilArgs a, DfuseAddress s, List<String> common, PrintWriter err)
            throws NotSupported {
        List<String> l = new ArrayList<>(List.of("upload", a.get('U')));
        addIf(l, a, 'a', "--alt");
        l.addAll(common);
        if (s != null) {
            if (s.address() != null) {
                l.add("--address");
                l.add(s.address());
            }
            if (s.length() != null) {
                l.add("--length");
                l.add(s.length());
            }
            for (String m : s.modifiers()) {
                if (!m.equals("leave") && !m.equals("force")) {
                    throw new NotSupported("-s ...:" + m + " with -U");
                }
            }
        }
        List<String[]> steps = new ArrayList<>();
        steps.add(l.toArray(String[]::new));
        if (s != null && s.modifiers().contains("leave")) {
            List<String> leave = new ArrayList<>(List.of("leave"));
            leave.addAll(common);
            steps.add(leave.toArray(String[]::new));
        }
        return steps;
    }

    /** -s with modifiers and neither -D nor -U: leave, mass-erase or unprotect on their own (as dfu-util 0.11 does). */
    private static List<String[]> special(UtilArgs a, DfuseAddress s, List<String> common) throws UtilArgs.UsageException {
        if (s == null || s.modifiers().isEmpty()) {
            throw new UtilArgs.UsageException("one of -l, -D, -U (or -s with :leave, :mass-erase or :unprotect) is needed;"
                    + " try 'dfu util --help'");
        }
        if (s.modifiers().contains("unprotect")) {
            return one(unprotect(s, common));
        }
        List<String[]> steps = new ArrayList<>();
        if (s.modifiers().contains("mass-erase")) {
            List<String> l = new ArrayList<>(List.of("erase", "--mass-erase"));
            addIf(l, a, 'a', "--alt");
            if (s.modifiers().contains("force")) {
                l.add("--force");
            }
            l.addAll(common);
            steps.add(l.toArray(String[]::new));
        }
        if (s.modifiers().contains("leave")) {
            List<String> l = new ArrayList<>(List.of("leave"));
            if (s.address() != null) {
                l.add("--address");
                l.add(s.address());
            }
            l.addAll(common);
            steps.add(l.toArray(String[]::new));
        }
        if (steps.isEmpty()) {
            throw new UtilArgs.UsageException("-s " + a.get('s') + " names no job without -D or -U");
        }
        return steps;
    }

    private static String[] unprotect(DfuseAddress s, List<String> common) {
        List<String> l = new ArrayList<>(List.of("unprotect"));
        if (s.modifiers().contains("force")) {
            l.add("--force");
        }
        l.addAll(common);
        return l.toArray(String[]::new);
    }

    /** dfu-util's -S RUNTIME[,DFU]: dfu4j matches one serial in either mode, so both halves must agree. */
    private static String serial(String value) {
        int comma = value.indexOf(',');
        if (comma < 0) {
            return value;
        }
        String runtime = value.substring(0, comma);
        String dfu = value.substring(comma + 1);
        return dfu.isEmpty() ? runtime : dfu;
    }

    private static List<String[]> one(String[] step) {
        List<String[]> l = new ArrayList<>();
        l.add(step);
        return l;
    }

    private static void addIf(List<String> l, UtilArgs a, char c, String flag) {
        if (a.has(c)) {
            l.add(flag);
            l.add(a.get(c));
        }
    }

    /** dfu util --help, in dfu4j's words. */
    static String help() {
        return String.join("\n",
                "Usage: dfu util [options]   (dfu-util 0.11's command line on dfu4j; see docs/dfu-util-compat.md)",
                "  -h --help                      this text",
                "  -V --version                   version",
                "  -v --verbose                   debug output and stack traces",
                "  -l --list                      list DFU devices",
                "  -d --device VID:PID[,VID:PID]  run-time and DFU-mode USB ids ('*' any, '-' none)",
                "  -p --path BUS-PORT.PORT        USB port path",
                "  -S --serial SERIAL[,SERIAL]    serial number",
                "  -c --cfg N, -i --intf N        accepted and ignored (dfu4j finds the DFU interface)",
                "  -a --alt N|NAME                alternate setting",
                "  -D --download FILE             write FILE (- reads stdin), verified by read-back",
                "  -U --upload FILE               read memory into FILE (- writes stdout)",
                "  -Z --upload-size N             accepted and ignored (dfu-util only scales its progress bar with it)",
                "  -E --detach-delay SECONDS      how long to wait for re-enumeration after a detach",
                "  -s --dfuse-address ADDR[:LEN][:force][:leave][:mass-erase][:unprotect][:will-reset]",
                "                                 :will-reset: the write resets the device (dfu flash --expect-reset)",
                "  -t --transfer-size SIZE        at most SIZE bytes per transfer (dfu flash/upload --transfer-size)",
                "  -e --detach                    detach a run-time device into DFU mode (dfu detach)",
                "  -R --reset                     USB reset after the job (dfu reset)",
                "  -w --wait                      wait for the device to appear (up to " + WAIT_DEVICE_MAX + " s)",
                "  -n --devnum N                  not supported yet by dfu util (exit " + ExitCode.NOT_SUPPORTED + ")",
                "dfu4j options: --sim CHIP, --sim-state FILE, --sim-time MODE, --sim-quirk NAME, --sim-boot0-high",
                "Exit codes: dfu4j's (dfu --help), plus " + ExitCode.NOT_SUPPORTED + ": not supported yet by dfu util.",
                "");
    }
}
