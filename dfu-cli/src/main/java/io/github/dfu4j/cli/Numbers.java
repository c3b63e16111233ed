package io.github.dfu4j.cli;

import picocli.CommandLine;

/** Parses addresses and sizes as users write them: 0x08000000, 134217728, 64K, 1M. */
final class Numbers implements CommandLine.ITypeConverter<Long> {

    @Override
    public Long convert(String text) {
        return parse(text);
    }

    static long parse(String text) {
        String t = text.trim().replace("_", "");
        long multiplier = 1;
        if (!t.isEmpty() && !t.toLowerCase().startsWith("0x")) {
            char last = Character.toUpperCase(t.charAt(t.length() - 1));
            if (last == 'K' || last == 'M') {
                multiplier = last == 'K' ? 1024 : 1024 * 1024;
                t = t.substring(0, t.length() - 1);
            }
        }
        try {
            long value = t.toLowerCase().startsWith("0x") ? Long.parseUnsignedLong(t.substring(2), 16) : Long.parseLong(t);
            long result = Math.multiplyExact(value, multiplier);
            if (result < 0 || result > 0xFFFF_FFFFL) {
                throw new CommandLine.TypeConversionException("'" + text + "' is outside 0..0xffffffff");
            }
            return result;
        } catch (NumberFormatException | ArithmeticException e) {
            throw new CommandLine.TypeConversionException("'" + text + "' is not a number (use e.g. 0x08000000, 65536 or 64K)");
        }
    }
}
