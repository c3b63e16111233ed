package io.github.dfu4j.libusb;

import io.github.dfu4j.libusb.DeviceFilter.Field;
import io.github.dfu4j.transport.AltSetting;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.regex.Pattern;

/**
 * Which DFU device (and alternate setting) to use, with dfu-util's option habits (its -d, -S, -p and -a
 * options; the builder takes the same texts and a CLI maps its flags onto {@link Field}s):
 * <ul>
 *   <li>{@link Builder#vidPid VID:PID[,VID:PID]}: run-time IDs, then DFU-mode IDs (the PID usually changes
 *       after DETACH). Each ID is hex; {@code *} or empty matches any, {@code -} matches nothing.
 *       With one pair, it applies to both modes for selection, and after a detach any DFU-mode device
 *       that re-appears on the same port is accepted. A leading comma ({@code ,0483:df11}) ignores
 *       run-time devices.</li>
 *   <li>{@link Builder#serial S[,S_DFU]}: serial in run-time mode, then in DFU mode; an empty part matches any.</li>
 *   <li>{@link Builder#path BUS-PORT[.PORT...]}: the USB port path, e.g. {@code 1-2.3}; survives re-enumeration.</li>
 *   <li>{@link Builder#alt N|NAME}: alternate setting by number or by its interface string, matched like
 *       simulated devices are (see {@link AltSelector#resolve}): the exact string, else ignoring
 *       case, else the short name of a DfuSe layout string ({@code "Internal Flash"} for
 *       {@code "@Internal Flash  /0x08000000/..."}), else a unique prefix of that short name. It
 *       applies to DFU-mode devices only: a run-time device's interface says nothing about the memories
 *       it will offer after DETACH, so an alt never keeps one from being selected.</li>
 * </ul>
 *
 * <pre>{@code
 * DeviceFilter f = DeviceFilter.builder().vidPid("0483:df11").path("1-2.3").alt("0").build();
 * }</pre>
 *
 * @param runtimeIds    IDs a run-time-mode device must have
 * @param dfuIds        IDs a DFU-mode device must have; null when not given (then {@code runtimeIds}
 *                      apply for selection and any IDs are accepted after a detach)
 * @param runtimeSerial serial a run-time-mode device must have, null for any
 * @param dfuSerial     serial a DFU-mode device must have, null for any
 * @param path          port path, null for any
 * @param alt           alternate setting to use, null for the default (0)
 * @param runtimeIdsGiven whether the VID:PID criterion named run-time IDs (an explicit request to use a
 *                      run-time device; without it run-time devices are never picked implicitly)
 */
// Over 400 lines because of its javadoc (about 275 lines of code): the criteria, their parsing and their
// matching rules are one public value type, documented criterion by criterion.
public record DeviceFilter(UsbIds runtimeIds, UsbIds dfuIds, String runtimeSerial, String dfuSerial, String path,
                           AltSelector alt, boolean runtimeIdsGiven) {

    /** Matches every DFU device; run-time devices only when nothing else is there to pick. */
    public static final DeviceFilter ANY = new DeviceFilter(UsbIds.ANY, null, null, null, null, null, false);

    private static final Pattern PATH = Pattern.compile("\\d{1,3}-\\d{1,3}(\\.\\d{1,3}){0,6}");

    /**
     * Checks that {@code runtimeIds} is present ({@link UsbIds#ANY} for any device); every other criterion
     * may be {@code null}. The builder checks the values' syntax, this constructor does not.
     *
     * @param runtimeIds    IDs a run-time-mode device must have
     * @param dfuIds        IDs a DFU-mode device must have; null when not given (then {@code runtimeIds}
     *                      apply for selection and any IDs are accepted after a detach)
     * @param runtimeSerial serial a run-time-mode device must have, null for any
     * @param dfuSerial     serial a DFU-mode device must have, null for any
     * @param path          port path, null for any
     * @param alt           alternate setting to use, null for the default (0)
     * @param runtimeIdsGiven whether the VID:PID criterion named run-time IDs (an explicit request to use a
     *                      run-time device; without it run-time devices are never picked implicitly)
     * @throws NullPointerException when {@code runtimeIds} is {@code null}
     */
    public DeviceFilter {
        Objects.requireNonNull(runtimeIds, "runtimeIds");
    }

    /** The criteria of a filter, as a caller's options name them (a CLI maps each to its own flag). */
    public enum Field {
        /** {@code VID:PID[,VID:PID]}: run-time IDs, then DFU-mode IDs. */
        VID_PID("VID:PID"),
        /** {@code S[,S_DFU]}: serial in run-time mode, then in DFU mode. */
        SERIAL("serial"),
        /** {@code BUS-PORT[.PORT...]}: the USB port path. */
        PATH("port path"),
        /** {@code N|NAME}: the alternate setting. */
        ALT("alt setting");

        private final String label;

        Field(String label) {
            this.label = label;
        }

        /**
         * How messages name the criterion, e.g. "port path".
         *
         * @return the label, lower case except for acronyms
         */
        public String label() {
            return label;
        }
    }

    /**
     * A builder; every criterion is optional, and a null or blank text means "not given".
     *
     * @return a new builder with no criterion
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Collects the criteria as texts and parses them in {@link #build()}:
     * {@code DeviceFilter.builder().vidPid("0483:df11").serial("ABC").build()}.
     */
    public static final class Builder {
        private String vidPid;
        private String serial;
        private String path;
        private String alt;

        private Builder() {
        }

        /**
         * {@code VID:PID[,VID:PID]}: run-time IDs, then DFU-mode IDs (hex; {@code *} any, {@code -} none).
         *
         * @param spec the IDs, e.g. {@code 0483:df11} or {@code 0483:5740,0483:df11}; null or blank for none
         * @return this builder
         */
        public Builder vidPid(String spec) {
            this.vidPid = spec;
            return this;
        }

        /**
         * {@code S[,S_DFU]}: serial in run-time mode, then in DFU mode; an empty part matches any.
         *
         * @param spec the serial(s); null or blank for none
         * @return this builder
         */
        public Builder serial(String spec) {
            this.serial = spec;
            return this;
        }

        /**
         * {@code BUS-PORT[.PORT...]}: the USB port path, e.g. {@code 1-2.3}.
         *
         * @param spec the port path; null or blank for none
         * @return this builder
         */
        public Builder path(String spec) {
            this.path = spec;
            return this;
        }

        /**
         * {@code N|NAME}: alternate setting by number or interface string.
         *
         * @param spec the alt setting's number (0..255) or name; null or blank for the default
         * @return this builder
         */
        public Builder alt(String spec) {
            this.alt = spec;
            return this;
        }

        /**
         * The filter.
         *
         * @throws DeviceFilterSyntaxException naming the criterion and offset of a malformed value
         * @return the filter; {@link DeviceFilter#ANY}'s criteria when nothing was given
         */
        public DeviceFilter build() {
            DeviceFilter f = ANY;
            if (!blank(vidPid)) {
                f = f.withDevice(vidPid);
            }
            if (!blank(serial)) {
                f = f.withSerial(serial);
            }
            if (!blank(path)) {
                f = f.withPath(path);
            }
            if (!blank(alt)) {
                f = f.withAlt(alt);
            }
            return f;
        }
    }

    private DeviceFilter withDevice(String spec) {
        Field option = Field.VID_PID;
        int comma = spec.indexOf(',');
        if (comma >= 0 && spec.indexOf(',', comma + 1) >= 0) {
            throw new DeviceFilterSyntaxException(option, spec, spec.indexOf(',', comma + 1),
                    "at most two VID:PID pairs (run-time,DFU) are allowed");
        }
        if (comma < 0) {
            UsbIds ids = UsbIds.parse(option, spec, 0, spec);
            return new DeviceFilter(ids, null, runtimeSerial, dfuSerial, path, alt, true);
        }
        String first = spec.substring(0, comma);
        String second = spec.substring(comma + 1);
        boolean runtimeGiven = !first.isEmpty();
        UsbIds runtime = runtimeGiven ? UsbIds.parse(option, spec, 0, first) : UsbIds.NONE;
        UsbIds dfu = second.isEmpty() ? UsbIds.ANY : UsbIds.parse(option, spec, comma + 1, second);
        return new DeviceFilter(runtime, dfu, runtimeSerial, dfuSerial, path, alt, runtimeGiven);
    }

    private DeviceFilter withSerial(String spec) {
        int comma = spec.indexOf(',');
        if (comma < 0) {
            return new DeviceFilter(runtimeIds, dfuIds, spec, spec, path, alt, runtimeIdsGiven);
        }
        String first = spec.substring(0, comma);
        String second = spec.substring(comma + 1);
        return new DeviceFilter(runtimeIds, dfuIds, first.isEmpty() ? null : first, second.isEmpty() ? null : second,
                path, alt, runtimeIdsGiven);
    }

    private DeviceFilter withPath(String spec) {
        String p = spec.strip();
        if (!PATH.matcher(p).matches()) {
            int dash = p.indexOf('-');
            int offset = dash < 0 ? p.length() : firstBad(p, dash + 1);
            throw new DeviceFilterSyntaxException(Field.PATH, spec, offset,
                    "expected BUS-PORT[.PORT...] with decimal numbers, e.g. 1-2.3");
        }
        return new DeviceFilter(runtimeIds, dfuIds, runtimeSerial, dfuSerial, p, alt, runtimeIdsGiven);
    }

    private DeviceFilter withAlt(String spec) {
        return new DeviceFilter(runtimeIds, dfuIds, runtimeSerial, dfuSerial, path, AltSelector.parse(spec),
                runtimeIdsGiven);
    }

    /**
     * IDs a DFU-mode device must have to be selected.
     *
     * @return the DFU-mode IDs, or the run-time IDs when no DFU-mode IDs were given
     */
    public UsbIds dfuIdsForSelection() {
        return dfuIds != null ? dfuIds : runtimeIds;
    }

    /**
     * IDs the device must have when it re-appears in DFU mode after a detach.
     *
     * @return the DFU-mode IDs, or {@link UsbIds#ANY} when none were given (the PID usually changes)
     */
    public UsbIds dfuIdsAfterDetach() {
        return dfuIds != null ? dfuIds : UsbIds.ANY;
    }

    /**
     * True when the user named a run-time device on purpose (IDs, run-time serial or path).
     *
     * @return {@code true} when run-time devices may be selected
     */
    public boolean namesRuntimeDevice() {
        return runtimeIdsGiven || runtimeSerial != null || path != null;
    }

    /**
     * Whether the device satisfies every criterion. A device whose strings could not be read
     * (not accessible) never matches a serial or alt-name criterion.
     *
     * @param d a discovered device
     * @return {@code true} when every criterion holds for {@code d}
     */
    public boolean matches(DfuDeviceDescription d) {
        return matchesIgnoringStrings(d) && serialMatches(d) && altMatches(d);
    }

    /**
     * Whether the device satisfies the criteria that do not need its strings (IDs, path, alt number).
     *
     * @param d a discovered device
     * @return {@code true} when the criteria that need no strings hold for {@code d}
     */
    public boolean matchesIgnoringStrings(DfuDeviceDescription d) {
        UsbIds ids = d.device().dfuMode() ? dfuIdsForSelection() : runtimeIds;
        if (!ids.matches(d.device().vendorId(), d.device().productId())) {
            return false;
        }
        if (path != null && !path.equals(d.device().path())) {
            return false;
        }
        return alt == null || !d.device().dfuMode() || alt.name() != null || alt.resolve(d).isPresent();
    }

    /**
     * Whether the filter needs a device's strings (serial, alt name) to decide.
     *
     * @return {@code true} when a serial or an alt name is a criterion
     */
    public boolean needsStrings() {
        return runtimeSerial != null || dfuSerial != null || (alt != null && alt.name() != null);
    }

    private boolean serialMatches(DfuDeviceDescription d) {
        String wanted = d.device().dfuMode() ? dfuSerial : runtimeSerial;
        return wanted == null || (d.accessible() && wanted.equals(d.device().serial()));
    }

    private boolean altMatches(DfuDeviceDescription d) {
        return alt == null || !d.device().dfuMode() || alt.resolve(d).isPresent();
    }

    /**
     * The alternate setting to select on this device: the filter's, else 0 (or the first one).
     * Empty when the filter names one the device does not have (or has several matches for).
     *
     * @param d a discovered device
     * @return the alt setting, or empty when the filter's alt matches none (or several) of the device's
     */
    public OptionalInt altFor(DfuDeviceDescription d) {
        if (alt != null) {
            return alt.resolve(d);
        }
        if (d.altSettings().isEmpty()) {
            return OptionalInt.of(0);
        }
        for (AltSetting a : d.altSettings()) {
            if (a.altSetting() == 0) {
                return OptionalInt.of(0);
            }
        }
        return OptionalInt.of(d.altSettings().get(0).altSetting());
    }

    /**
     * The criteria in words, e.g. {@code VID:PID 0483:df11, port path 1-2}; "no filter" when there are none.
     * The texts are those the builder takes, so the filter can be rebuilt from them.
     *
     * @return the description, never empty
     */
    public String describe() {
        StringBuilder b = new StringBuilder();
        if (runtimeIdsGiven || dfuIds != null) {
            b.append(Field.VID_PID.label()).append(' ').append(runtimeIdsGiven ? runtimeIds.toString() : "");
            if (dfuIds != null) {
                b.append(',').append(dfuIds);
            }
        }
        if (runtimeSerial != null || dfuSerial != null) {
            append(b, Field.SERIAL.label() + " ");
            if (Objects.equals(runtimeSerial, dfuSerial)) {
                b.append(runtimeSerial);
            } else {
                b.append(runtimeSerial == null ? "" : runtimeSerial).append(',')
                        .append(dfuSerial == null ? "" : dfuSerial);
            }
        }
        if (path != null) {
            append(b, Field.PATH.label() + " ").append(path);
        }
        if (alt != null) {
            append(b, Field.ALT.label() + " ").append(alt);
        }
        return b.length() == 0 ? "no filter" : b.toString();
    }

    /**
     * Insertion-ordered map for JSON output: {@code runtimeIds} and {@code dfuIds} as {@code vvvv:pppp}
     * patterns ({@code *} any, {@code -} none), {@code runtimeSerial}, {@code dfuSerial}, {@code path} and
     * {@code alt} (the selector as {@link AltSelector#toString()} gives it). {@code runtimeIds} is
     * {@code *:*} when no IDs were given; every other criterion that is not set maps to {@code null}.
     *
     * @return a new mutable map of plain values
     */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("runtimeIds", runtimeIds.toString());
        m.put("dfuIds", dfuIds == null ? null : dfuIds.toString());
        m.put("runtimeSerial", runtimeSerial);
        m.put("dfuSerial", dfuSerial);
        m.put("path", path);
        m.put("alt", alt == null ? null : alt.toString());
        return m;
    }

    private static StringBuilder append(StringBuilder b, String s) {
        if (b.length() > 0) {
            b.append(", ");
        }
        return b.append(s);
    }

    private static int firstBad(String p, int from) {
        for (int i = from; i < p.length(); i++) {
            char c = p.charAt(i);
            if (!(Character.isDigit(c) || c == '.')) {
                return i;
            }
        }
        return p.length();
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    /**
     * A vendor/product ID pattern.
     *
     * @param vendorId  16-bit ID, {@link #ANY_ID} or {@link #NO_ID}
     * @param productId 16-bit ID, {@link #ANY_ID} or {@link #NO_ID}
     */
    public record UsbIds(int vendorId, int productId) {
        /** Matches every ID ({@code *} or empty). */
        public static final int ANY_ID = -1;
        /** Matches no ID ({@code -}); dfu-util's way to exclude a mode. */
        public static final int NO_ID = 0x10000;
        /** The pattern {@code *:*}: matches every device. */
        public static final UsbIds ANY = new UsbIds(ANY_ID, ANY_ID);
        /** The pattern {@code -}: matches no device, to exclude a mode (run-time or DFU) from a search. */
        public static final UsbIds NONE = new UsbIds(NO_ID, NO_ID);

        /**
         * Checks the IDs' range.
         *
         * @param vendorId  16-bit ID, {@link #ANY_ID} or {@link #NO_ID}
         * @param productId 16-bit ID, {@link #ANY_ID} or {@link #NO_ID}
         * @throws IllegalArgumentException when an ID is neither 0..0xFFFF nor {@link #ANY_ID} nor {@link #NO_ID}
         */
        public UsbIds {
            if (!valid(vendorId) || !valid(productId)) {
                throw new IllegalArgumentException("ids must be 0..0xffff, ANY_ID or NO_ID");
            }
        }

        private static boolean valid(int id) {
            return id == ANY_ID || id == NO_ID || (id >= 0 && id <= 0xFFFF);
        }

        /**
         * Whether a device's IDs fit this pattern; {@link #ANY_ID} matches every value and {@link #NO_ID} none.
         *
         * @param vendor  the device's idVendor, 0..0xFFFF
         * @param product the device's idProduct, 0..0xFFFF
         * @return {@code true} when both IDs fit
         */
        public boolean matches(int vendor, int product) {
            return (vendorId == ANY_ID || vendorId == vendor) && (productId == ANY_ID || productId == product);
        }

        static UsbIds parse(Field option, String whole, int base, String pair) {
            if (pair.equals("-")) {
                return NONE;
            }
            if (pair.equals("*")) {
                return ANY;
            }
            int colon = pair.indexOf(':');
            if (colon < 0) {
                throw new DeviceFilterSyntaxException(option, whole, base + pair.length(),
                        "expected VID:PID (hexadecimal, '*' for any), e.g. 0483:df11");
            }
            return new UsbIds(id(option, whole, base, pair.substring(0, colon), "vendor"),
                    id(option, whole, base + colon + 1, pair.substring(colon + 1), "product"));
        }

        private static int id(Field option, String whole, int offset, String text, String what) {
            if (text.isEmpty() || text.equals("*")) {
                return ANY_ID;
            }
            if (text.equals("-")) {
                return NO_ID;
            }
            String digits = text.startsWith("0x") || text.startsWith("0X") ? text.substring(2) : text;
            if (digits.isEmpty() || digits.length() > 4) {
                throw new DeviceFilterSyntaxException(option, whole, offset,
                        what + " id \"" + text + "\" is not a 16-bit hexadecimal number");
            }
            for (int i = 0; i < digits.length(); i++) {
                if (Character.digit(digits.charAt(i), 16) < 0) {
                    throw new DeviceFilterSyntaxException(option, whole, offset + (text.length() - digits.length()) + i,
                            what + " id \"" + text + "\" is not a hexadecimal number");
                }
            }
            return Integer.parseInt(digits, 16);
        }

        /**
         * The pattern as dfu-util writes it: {@code 0483:df11}, {@code *} for an ID that matches any value,
         * {@code -} for one that matches none, and a bare {@code -} for {@link #NONE}.
         */
        @Override
        public String toString() {
            if (this.equals(NONE)) {
                return "-";
            }
            return part(vendorId) + ":" + part(productId);
        }

        private static String part(int id) {
            return id == ANY_ID ? "*" : id == NO_ID ? "-" : String.format("%04x", id);
        }
    }
}
