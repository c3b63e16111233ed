package io.github.dfu4j.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The documented exit codes of the {@code dfu} tool, and the help footer each command shows. */
final class ExitCode {
    /** Everything worked. */
    static final int OK = 0;
    /** The device or the operation failed (DFU error, verify mismatch, transfer error); also out of memory. */
    static final int DEVICE_FAILURE = 1;
    /** The command line was wrong, or an output file named on it cannot be written. */
    static final int USAGE = 2;
    /** An input file is missing, unreadable, over the 1 GiB cap or not a valid firmware file; a corrupt --sim-state file. */
    static final int INVALID_INPUT = 3;
    /** No matching device, or the device cannot be opened (permissions, driver, --sim-state locked by another process). */
    static final int NO_DEVICE = 4;
    /** Written, but the write made the device reset (option bytes) and it could not be read back: not verified. */
    static final int RESET_NOT_VERIFIED = 5;
    /** dfu util only: the dfu-util option or modifier is not supported yet by dfu util; nothing was done. */
    static final int NOT_SUPPORTED = 6;
    /** Stopped by Ctrl-C (SIGINT): 128 + 2, the shell's convention. SIGTERM gives 143 (128 + 15). */
    static final int INTERRUPTED = 130;
    /** Stopped by SIGTERM. */
    static final int TERMINATED = 143;

    /** What each code means, in the words of docs/user-guide.md's table. */
    static final Map<Integer, String> MEANING = Map.of(
            OK, "success",
            DEVICE_FAILURE, "device or operation failure (DFU error, verify mismatch, USB error, image does not fit the memory"
                    + " layout); out of memory",
            USAGE, "usage error (bad option or argument, output file or --sim-state file cannot be written)",
            INVALID_INPUT, "invalid input file (missing, unreadable, unknown format, corrupt, over 1 GiB), corrupt --sim-state file",
            NO_DEVICE, "no matching device, or the device cannot be opened (permissions, driver, --sim-state FILE locked by"
                    + " another dfu process for 10 s)",
            RESET_NOT_VERIFIED, "written, but the write reset the device (option bytes, --expect-reset, plain DFU"
                    + " manifestation) and it could not be read back"
                    + " afterwards: not verified");

    static final String FLASH_LEAVE = "flash --leave: 0 once flashed and verified, even if the device came back in DFU mode"
            + " (a warning; 1 with --require-start); 1 if leaving failed.";
    static final String LEAVE = "leave: 1 if the device is still or again in DFU mode afterwards.";
    static final String WAIT_APP = "--wait-app: 1 if no application appeared at the device's port in time.";
    /** Any command can be stopped; what a device command does then. */
    static final String STOPPED_DEVICE = "130, 143  Ctrl-C (SIGINT), SIGTERM: stopped between two requests, device ABORTed to"
            + " dfuIDLE, one line says what the chip holds now";
    static final String STOPPED = "130, 143  Ctrl-C (SIGINT), SIGTERM: stopped";
    static final String DOCTOR = "doctor: 4 when it found a problem (no USB backend, no DFU device, a device it cannot open).";

    /** What 2, 3 and 4 mean for a command without --sim-state (info, convert, list, doctor). */
    static final Map<Integer, String> MEANING_WITHOUT_SIM_STATE = Map.of(
            USAGE, "usage error (bad option or argument, output file cannot be written)",
            INVALID_INPUT, "invalid input file (missing, unreadable, unknown format, corrupt, over 1 GiB)",
            NO_DEVICE, "no matching device, or the device cannot be opened (permissions, driver)");

    /** A command's codes and the rules that only it has; {@code simState}: it takes --sim-state. */
    record Footer(List<Integer> codes, List<String> notes, boolean simState) {
        Footer(List<Integer> codes, List<String> notes) {
            this(codes, notes, true);
        }
    }

    private static final List<Integer> ALL = List.of(OK, DEVICE_FAILURE, USAGE, INVALID_INPUT, NO_DEVICE, RESET_NOT_VERIFIED);
    // 3: a device command reads no firmware file, but a damaged --sim-state file is invalid input too
    private static final List<Integer> DEVICE = List.of(OK, DEVICE_FAILURE, USAGE, INVALID_INPUT, NO_DEVICE);
    private static final List<Integer> FILES = List.of(OK, USAGE, INVALID_INPUT);

    /**
     * The codes each command can return, by qualified name without the leading "dfu" (the tool
     * itself is ""). Every exception the tool maps (DfuCli.exitCodeOf) is reachable only through
     * the commands that do that kind of work: file commands never open a device, device commands
     * read no firmware file except flash.
     */
    static final Map<String, Footer> FOOTERS;

    static {
        Map<String, Footer> m = new LinkedHashMap<>();
        m.put("", new Footer(ALL, List.of(STOPPED_DEVICE, FLASH_LEAVE, LEAVE, WAIT_APP)));
        m.put("flash", new Footer(ALL, List.of(STOPPED_DEVICE, FLASH_LEAVE, WAIT_APP)));
        m.put("upload", new Footer(DEVICE, List.of(STOPPED_DEVICE)));
        m.put("erase", new Footer(DEVICE, List.of(STOPPED_DEVICE)));
        m.put("leave", new Footer(DEVICE, List.of(STOPPED_DEVICE, LEAVE, WAIT_APP)));
        m.put("detach", new Footer(DEVICE, List.of(STOPPED_DEVICE)));
        m.put("reset", new Footer(DEVICE, List.of(STOPPED_DEVICE)));
        m.put("list", new Footer(List.of(OK, USAGE, NO_DEVICE), List.of(STOPPED), false));
        m.put("info", new Footer(FILES, List.of(STOPPED), false));
        m.put("convert", new Footer(FILES, List.of(STOPPED), false));
        m.put("doctor", new Footer(List.of(OK, USAGE, NO_DEVICE), List.of(STOPPED, DOCTOR), false));
        m.put("option-bytes", new Footer(DEVICE, List.of(STOPPED_DEVICE)));
        m.put("option-bytes show", new Footer(DEVICE, List.of(STOPPED_DEVICE)));
        m.put("option-bytes set", new Footer(DEVICE, List.of(STOPPED_DEVICE)));
        m.put("unprotect", new Footer(DEVICE, List.of(STOPPED_DEVICE)));
        m.put("help", new Footer(List.of(OK, USAGE), List.of(), false));
        FOOTERS = Map.copyOf(m);
    }

    /**
     * The footer of one command ("" for the tool itself): its exit codes and notes, one line each;
     * the help layout wraps them to the terminal with a hanging indent.
     */
    static String footer(String command) {
        Footer f = FOOTERS.getOrDefault(command, FOOTERS.get(""));
        StringBuilder b = new StringBuilder(command.isEmpty() ? "Exit codes (each command's code reports its own job):"
                : "Exit codes:");
        for (int code : f.codes()) {
            String meaning = f.simState() ? MEANING.get(code) : MEANING_WITHOUT_SIM_STATE.getOrDefault(code, MEANING.get(code));
            b.append("\n  ").append(code).append("  ").append(meaning);
        }
        for (String note : f.notes()) {
            b.append("\n  ").append(note);
        }
        return b.toString();
    }

    /** The tool's own footer ({@code dfu --help}). */
    static final String HELP = footer("");

    private ExitCode() {
    }
}
