package io.github.dfu4j.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * dfu-util 0.11's command line, parsed by getopt_long's rules (the dfu-util manual page, doc/dfu-util.1
 * of the dfu-util repository, and POSIX/GNU getopt): short options cluster ({@code -vvl}), a short
 * option's argument is the rest of its word or the next word ({@code -aINTERNAL}, {@code -a 0}, even
 * when that word starts with '-'), a long option's argument follows '=' or is the next word, a long
 * option may be shortened to any unambiguous prefix, {@code --} ends the options, and a repeated
 * option's last value wins ({@code -v} counts). dfu-util takes no operands, so any is a usage error.
 *
 * <p>The {@code --sim*} options are dfu4j's (a simulated device instead of USB) and are passed on as they are.
 */
final class UtilArgs {
    /** A command line dfu-util would not accept: one line naming the option. */
    static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

    /** Short options: letter to "takes an argument". -n (--devnum) is dfu-util's too; it is parsed and reported unsupported. */
    private static final Map<Character, Boolean> SHORT = new LinkedHashMap<>();
    /** Long options: name to its short letter. */
    private static final Map<String, Character> LONG = new LinkedHashMap<>();
    /** dfu4j's simulator options: name to "takes an argument". */
    private static final Map<String, Boolean> SIM = new LinkedHashMap<>();

    static {
        String spec = "hVvleE:d:n:p:c:i:a:S:t:U:D:Rs:Z:w";
        for (int i = 0; i < spec.length(); i++) {
            boolean arg = i + 1 < spec.length() && spec.charAt(i + 1) == ':';
            SHORT.put(spec.charAt(i), arg);
            if (arg) {
                i++;
            }
        }
        String[][] longs = {{"help", "h"}, {"version", "V"}, {"verbose", "v"}, {"list", "l"}, {"detach", "e"},
            {"detach-delay", "E"}, {"device", "d"}, {"devnum", "n"}, {"path", "p"}, {"cfg", "c"}, {"intf", "i"},
            {"interface", "i"}, {"altsetting", "a"}, {"alt", "a"}, {"serial", "S"}, {"transfer-size", "t"},
            {"upload", "U"}, {"upload-size", "Z"}, {"download", "D"}, {"reset", "R"}, {"dfuse-address", "s"},
            {"wait", "w"}};
        for (String[] l : longs) {
            LONG.put(l[0], l[1].charAt(0));
        }
        SIM.put("sim", true);
        SIM.put("sim-state", true);
        SIM.put("sim-time", true);
        SIM.put("sim-quirk", true);
        SIM.put("sim-block-stride", true);
        SIM.put("sim-boot0-high", false);
    }

    /** Each option's last value by its short letter ("" for an option without argument). */
    final Map<Character, String> options = new LinkedHashMap<>();
    /** Short letters in the order given (the modes -l -e -D -U conflict checks use it). */
    final List<Character> order = new ArrayList<>();
    /** How many times -v was given. */
    int verbose;
    /** The dfu4j simulator options, as dfu options ("--sim", "stm32f405", ...). */
    final List<String> sim = new ArrayList<>();

    private UtilArgs() {
    }

    boolean has(char option) {
        return options.containsKey(option);
    }

    String get(char option) {
        return options.get(option);
    }

    /** Parses {@code args} (the words after "dfu util"). */
    static UtilArgs parse(List<String> args) throws UsageException {
        UtilArgs r = new UtilArgs();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--")) {
                if (i + 1 < args.size()) {
                    throw new UsageException("unexpected argument '" + args.get(i + 1) + "' (dfu-util takes no operands)");
                }
                break;
            }
            if (a.startsWith("--")) {
                i = r.parseLong(args, i);
            } else if (a.startsWith("-") && a.length() > 1) {
                i = r.parseCluster(args, i);
            } else {
                throw new UsageException("unexpected argument '" + a + "' (dfu-util takes no operands)");
            }
        }
        return r;
    }

    private int parseCluster(List<String> args, int i) throws UsageException {
        String word = args.get(i);
        for (int k = 1; k < word.length(); k++) {
            char c = word.charAt(k);
            Boolean takesArg = SHORT.get(c);
            if (takesArg == null) {
                throw new UsageException("invalid option -- '" + c + "'");
            }
            if (!takesArg) {
                set(c, "");
                continue;
            }
            if (k + 1 < word.length()) {
                set(c, word.substring(k + 1));
                return i;
            }
            if (i + 1 >= args.size()) {
                throw new UsageException("option requires an argument -- '" + c + "'");
            }
            set(c, args.get(i + 1));
            return i + 1;
        }
        return i;
    }

    private int parseLong(List<String> args, int i) throws UsageException {
        String word = args.get(i).substring(2);
        int eq = word.indexOf('=');
        String name = eq < 0 ? word : word.substring(0, eq);
        String value = eq < 0 ? null : word.substring(eq + 1);
        String full = resolve(name, args.get(i));
        boolean takesArg = SIM.containsKey(full) ? SIM.get(full) : SHORT.get(LONG.get(full));
        if (!takesArg && value != null) {
            throw new UsageException("option '--" + full + "' doesn't allow an argument");
        }
        if (takesArg && value == null) {
            if (i + 1 >= args.size()) {
                throw new UsageException("option '--" + full + "' requires an argument");
            }
            value = args.get(++i);
        }
        if (SIM.containsKey(full)) {
            sim.add("--" + full);
            if (takesArg) {
                sim.add(value);
            }
        } else {
            set(LONG.get(full), takesArg ? value : "");
        }
        return i;
    }

    /** An exact long name, or the one long name {@code name} is a prefix of (getopt_long's abbreviations). */
    private static String resolve(String name, String word) throws UsageException {
        if (LONG.containsKey(name) || SIM.containsKey(name)) {
            return name;
        }
        List<String> matches = new ArrayList<>();
        for (String n : LONG.keySet()) {
            if (n.startsWith(name) && !name.isEmpty()) {
                matches.add(n);
            }
        }
        for (String n : SIM.keySet()) {
            if (n.startsWith(name) && !name.isEmpty()) {
                matches.add(n);
            }
        }
        // --alt and --altsetting, --intf and --interface are one option each
        if (matches.size() > 1 && matches.stream().map(m -> LONG.getOrDefault(m, '?')).distinct().count() == 1
                && LONG.containsKey(matches.get(0))) {
            return matches.get(0);
        }
        if (matches.size() == 1) {
            return matches.get(0);
        }
        String shown = word.contains("=") ? word.substring(0, word.indexOf('=')) : word;
        if (matches.isEmpty()) {
            throw new UsageException("unrecognized option '" + shown + "'");
        }
        throw new UsageException("option '" + shown + "' is ambiguous; possibilities: --" + String.join(" --", matches));
    }

    private void set(char c, String value) {
        if (c == 'v') {
            verbose++;
        }
        options.put(c, value);
        order.add(c);
    }
}
