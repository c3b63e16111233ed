package io.github.dfu4j.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * dfu-util's {@code -s [ADDRESS][:LENGTH][:MODIFIER]...} for {@code dfu util} ({@link UtilCommand}): address and
 * length as 0x hex text, modifiers in lower case.
 */
record DfuseAddress(String address, String length, List<String> modifiers) {
    static final List<String> MODIFIERS = List.of("force", "leave", "mass-erase", "unprotect", "will-reset");

    static DfuseAddress parse(String text) throws UtilArgs.UsageException {
        String[] parts = text.split(":", -1);
        String address = parts[0].isEmpty() ? null : hex(parts[0], "address");
        String length = null;
        List<String> modifiers = new ArrayList<>();
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i];
            if (!p.isEmpty() && Character.isDigit(p.charAt(0))) {
                if (length != null || !modifiers.isEmpty()) {
                    throw new UtilArgs.UsageException("-s " + text + ": unexpected number '" + p + "'");
                }
                length = Long.toString(number(p, "length"));
            } else if (MODIFIERS.contains(p.toLowerCase(Locale.ROOT))) {
                modifiers.add(p.toLowerCase(Locale.ROOT));
            } else {
                throw new UtilArgs.UsageException("-s " + text + ": invalid DfuSe modifier '" + p + "' (one of "
                        + String.join(", ", MODIFIERS) + ")");
            }
        }
        return new DfuseAddress(address, length, List.copyOf(modifiers));
    }

    private static String hex(String text, String what) throws UtilArgs.UsageException {
        return String.format("0x%08x", number(text, what));
    }

    /** A number as C's strtoul with base 0 reads it: 0x hexadecimal, leading 0 octal, else decimal. */
    static long number(String text, String what) throws UtilArgs.UsageException {
        try {
            long v;
            if (text.startsWith("0x") || text.startsWith("0X")) {
                v = Long.parseLong(text.substring(2), 16);
            } else if (text.length() > 1 && text.startsWith("0")) {
                v = Long.parseLong(text.substring(1), 8);
            } else {
                v = Long.parseLong(text);
            }
            if (v < 0 || v > 0xFFFF_FFFFL) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new UtilArgs.UsageException("-s: invalid " + what + " '" + text + "'");
        }
    }
}
