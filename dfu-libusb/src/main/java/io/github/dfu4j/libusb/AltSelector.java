package io.github.dfu4j.libusb;

import io.github.dfu4j.libusb.DeviceFilter.Field;
import io.github.dfu4j.transport.AltSetting;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.function.Predicate;

/**
 * An alternate setting chosen by number or by its interface string.
 *
 * @param number the bAlternateSetting, or -1 when chosen by name
 * @param name   the interface string (or a short form of it, see {@link #resolve}), or null when
 *               chosen by number
 */
public record AltSelector(int number, String name) {
    /**
     * Checks that exactly one way of choosing is given.
     *
     * @param number the bAlternateSetting, or -1 when chosen by name
     * @param name   the interface string (or a short form of it, see {@link #resolve}), or null when
     *               chosen by number
     * @throws IllegalArgumentException when both or neither of a number (0..255) and a name are given, or
     *         the number is above 255
     */
    public AltSelector {
        if ((name == null) == (number < 0)) {
            throw new IllegalArgumentException("exactly one of number (0..255) and name");
        }
        if (number > 255) {
            throw new IllegalArgumentException("alt setting " + number + " > 255");
        }
    }

    /**
     * Selects the alternate setting with this bAlternateSetting, e.g. {@code AltSelector.number(1)}.
     *
     * @param number the alt setting, 0..255
     * @return the selector
     * @throws IllegalArgumentException when {@code number} is outside 0..255
     */
    public static AltSelector number(int number) {
        return new AltSelector(number, null);
    }

    /**
     * Selects the alternate setting whose interface string matches {@code name} by the rules of
     * {@link #resolve}, e.g. {@code AltSelector.named("Internal Flash")}.
     *
     * @param name the interface string or a short form of it, not {@code null}
     * @return the selector
     * @throws IllegalArgumentException when {@code name} is {@code null}
     */
    public static AltSelector named(String name) {
        return new AltSelector(-1, name);
    }

    /**
     * {@code N|NAME}: a decimal number is a number; anything else is a name.
     *
     * @param spec the text, e.g. {@code "1"} or {@code "Option Bytes"}; a name is kept as given
     * @throws DeviceFilterSyntaxException for a number outside 0..255
     * @return a number selector for 0..255, else a name selector
     */
    public static AltSelector parse(String spec) {
        String s = spec.strip();
        if (!s.isEmpty() && s.chars().allMatch(Character::isDigit)) {
            if (s.length() > 3 || Integer.parseInt(s) > 255) {
                throw new DeviceFilterSyntaxException(Field.ALT, spec, 0, "alt setting " + s + " is not in 0..255");
            }
            return number(Integer.parseInt(s));
        }
        return named(spec);
    }

    /**
     * The matching alt setting number on this device, if it has one. A name is tried in four
     * steps, each only when the previous one matched nothing, so a more exact match always wins:
     * <ol>
     *   <li>the exact interface string;</li>
     *   <li>the interface string ignoring case (and surrounding blanks);</li>
     *   <li>the short name ignoring case: a DfuSe layout string without its leading {@code @} and
     *       from its first {@code /} on, trimmed ({@code "Internal Flash"} for
     *       {@code "@Internal Flash  /0x08000000/04*016Kg"}), as simulated devices name their alt settings;
     *       the wanted name is shortened the same way, so {@code "@Internal Flash"} works too;</li>
     *   <li>a prefix of the short name ignoring case ({@code "option"} for {@code "Option Bytes"}).</li>
     * </ol>
     * Steps 2-4 must match exactly one alt setting: an ambiguous name matches nothing rather than
     * picking a memory at random. Names never match on a device whose strings could not be read.
     *
     * @param d a discovered device
     * @return the alt setting number, or empty when none (or several) match
     */
    public OptionalInt resolve(DfuDeviceDescription d) {
        if (name != null && !d.accessible()) {
            return OptionalInt.empty();
        }
        return resolveAmong(d.altSettings());
    }

    /**
     * The alt setting among {@code alts} this selector picks, by the rules of
     * {@link #resolve(DfuDeviceDescription)}: one rule for USB devices, simulators and any other
     * transport (a CLI resolves its alt option with it once a device is open).
     *
     * @param alts the alternate settings of an open transport or a discovered device
     * @return the alt setting number, or empty when none (or several) match
     */
    public OptionalInt resolveAmong(List<AltSetting> alts) {
        if (name == null) {
            for (AltSetting a : alts) {
                if (a.altSetting() == number) {
                    return OptionalInt.of(a.altSetting());
                }
            }
            return OptionalInt.empty();
        }
        for (AltSetting a : alts) {
            if (a.name().equals(name)) {
                return OptionalInt.of(a.altSetting());
            }
        }
        String wanted = name.strip();
        String wantedShort = shortName(wanted).toLowerCase(Locale.ROOT);
        if (wantedShort.isEmpty()) {
            return OptionalInt.empty();
        }
        List<Predicate<AltSetting>> steps = List.of(
                a -> a.name().strip().equalsIgnoreCase(wanted),
                a -> shortName(a.name()).equalsIgnoreCase(wantedShort),
                a -> shortName(a.name()).toLowerCase(Locale.ROOT).startsWith(wantedShort));
        for (Predicate<AltSetting> step : steps) {
            List<AltSetting> hits = alts.stream().filter(step).toList();
            if (hits.size() == 1) {
                return OptionalInt.of(hits.get(0).altSetting());
            }
            if (hits.size() > 1) {
                return OptionalInt.empty();
            }
        }
        return OptionalInt.empty();
    }

    /** {@code "@Internal Flash  /0x08000000/..."} → {@code "Internal Flash"}; other names trimmed. */
    static String shortName(String interfaceString) {
        String n = interfaceString.startsWith("@") ? interfaceString.substring(1) : interfaceString;
        int slash = n.indexOf('/');
        return (slash >= 0 ? n.substring(0, slash) : n).strip();
    }

    /** The selector as a user would write it: the number, or the name in double quotes ({@code "\"Option Bytes\""}). */
    @Override
    public String toString() {
        return name == null ? Integer.toString(number) : "\"" + name + "\"";
    }
}
