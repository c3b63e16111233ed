package io.github.dfu4j.stm32.optionbytes;

import io.github.dfu4j.stm32.optionbytes.OptionByteReport.FieldReading;
import io.github.dfu4j.stm32.Evidence;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.StringJoiner;

/**
 * How a family decides what to boot from the BOOT0 pin and the option bytes, as data: the
 * reference manual's boot-mode table. Used by the write interlocks (a change that makes the chip
 * boot the ROM forever) and by the simulator.
 */
sealed interface BootModel permits BootModel.PinOnly, BootModel.SelectionTable, BootModel.AddressFields {

    /** What the chip boots with these option bytes and the BOOT0 pin level. */
    BootTarget target(OptionByteReport optionBytes, boolean boot0High);

    /**
     * Why, without repeating the target: the pin and the fields that decide, e.g.
     * "BOOT_SEL=0, nBOOT0=0, nBOOT1=1; the BOOT0 pin is ignored" or "BOOT0 pin low, BOOT_ADD0=0x40 →
     * 0x00100000, system memory on ITCM".
     */
    String explain(OptionByteReport optionBytes, boolean boot0High);

    /** Names of the option-byte fields that take part in the decision. */
    List<String> fields();

    Evidence evidence();

    /** The pin level as a table cell. */
    enum Pin {
        LOW, HIGH, ANY;

        boolean matches(boolean high) {
            return this == ANY || (this == HIGH) == high;
        }
    }

    /**
     * Option bytes play no part: BOOT0 low boots flash, high boots system memory (F4: the BOOT1
     * pin, not modelled, is assumed low).
     *
     * @param evidence backing
     */
    record PinOnly(Evidence evidence) implements BootModel {
        public PinOnly {
            Objects.requireNonNull(evidence, "evidence");
        }

        @Override
        public BootTarget target(OptionByteReport optionBytes, boolean boot0High) {
            return boot0High ? BootTarget.SYSTEM_MEMORY : BootTarget.MAIN_FLASH;
        }

        @Override
        public String explain(OptionByteReport optionBytes, boolean boot0High) {
            return "BOOT0 pin " + (boot0High ? "high" : "low");
        }

        @Override
        public List<String> fields() {
            return List.of();
        }
    }

    /**
     * One row of a boot-mode table: when the pin and every listed field match, the chip boots
     * {@code target}.
     *
     * @param pin    BOOT0 level, or ANY when the row ignores the pin
     * @param when   field name to required value
     * @param target what boots
     */
    record BootRow(Pin pin, Map<String, Long> when, BootTarget target) {
        public BootRow {
            Objects.requireNonNull(pin, "pin");
            when = Map.copyOf(when);
            Objects.requireNonNull(target, "target");
        }
    }

    /**
     * A boot-mode table (F0, RM0091): the first matching row wins.
     *
     * @param rows     the table
     * @param evidence backing
     * @param source   where the table comes from
     */
    record SelectionTable(List<BootRow> rows, Evidence evidence, String source) implements BootModel {
        public SelectionTable {
            rows = List.copyOf(rows);
            Objects.requireNonNull(evidence, "evidence");
            Objects.requireNonNull(source, "source");
        }

        private BootRow row(OptionByteReport ob, boolean boot0High) {
            for (BootRow r : rows) {
                if (!r.pin().matches(boot0High)) {
                    continue;
                }
                boolean all = true;
                for (Map.Entry<String, Long> e : r.when().entrySet()) {
                    all &= ob.value(e.getKey()) == e.getValue();
                }
                if (all) {
                    return r;
                }
            }
            throw new IllegalStateException("boot table of " + ob.layout().chipId() + " has no row for these option bytes");
        }

        @Override
        public BootTarget target(OptionByteReport optionBytes, boolean boot0High) {
            return row(optionBytes, boot0High).target();
        }

        @Override
        public String explain(OptionByteReport optionBytes, boolean boot0High) {
            BootRow r = row(optionBytes, boot0High);
            StringJoiner j = new StringJoiner(", ");
            if (r.pin() != Pin.ANY) {
                j.add("BOOT0 pin " + (boot0High ? "high" : "low"));
            }
            for (String f : fields()) {
                if (r.when().containsKey(f)) {
                    j.add(f + "=" + r.when().get(f));
                }
            }
            return j + (r.pin() == Pin.ANY ? "; the BOOT0 pin is ignored" : "");
        }

        @Override
        public List<String> fields() {
            return rows.stream().flatMap(r -> r.when().keySet().stream()).distinct().sorted().toList();
        }
    }

    /**
     * An address range and what booting there means.
     *
     * @param start  first address
     * @param end    one past the last
     * @param target what it is
     * @param name   e.g. "flash on ITCM"
     */
    record AddressRange(long start, long end, BootTarget target, String name) {
        public AddressRange {
            if (end <= start) {
                throw new IllegalArgumentException("empty range " + name);
            }
            Objects.requireNonNull(target, "target");
            Objects.requireNonNull(name, "name");
        }
    }

    /**
     * Boot address option bytes (F7 BOOT_ADD0/1, H7 BOOT_ADD0/1): BOOT0 low boots the address in
     * {@code pinLowField}, high the one in {@code pinHighField}.
     *
     * @param pinLowField  field used with BOOT0 low
     * @param pinHighField field used with BOOT0 high
     * @param ranges       what the addresses are
     * @param evidence     backing
     */
    record AddressFields(String pinLowField, String pinHighField, List<AddressRange> ranges, Evidence evidence)
            implements BootModel {
        public AddressFields {
            Objects.requireNonNull(pinLowField, "pinLowField");
            Objects.requireNonNull(pinHighField, "pinHighField");
            ranges = List.copyOf(ranges);
            Objects.requireNonNull(evidence, "evidence");
        }

        private long address(OptionByteReport ob, boolean boot0High) {
            FieldReading r = ob.reading(boot0High ? pinHighField : pinLowField).orElseThrow();
            return r.value() << r.field().addressShift();
        }

        private AddressRange range(long address) {
            for (AddressRange r : ranges) {
                if (address >= r.start() && address < r.end()) {
                    return r;
                }
            }
            return null;
        }

        @Override
        public BootTarget target(OptionByteReport optionBytes, boolean boot0High) {
            AddressRange r = range(address(optionBytes, boot0High));
            return r == null ? BootTarget.OTHER : r.target();
        }

        @Override
        public String explain(OptionByteReport optionBytes, boolean boot0High) {
            long a = address(optionBytes, boot0High);
            AddressRange r = range(a);
            String field = boot0High ? pinHighField : pinLowField;
            return String.format("BOOT0 pin %s, %s=0x%X → 0x%08x, %s", boot0High ? "high" : "low", field,
                    optionBytes.value(field), a, r == null ? BootTarget.OTHER.description() : r.name());
        }

        @Override
        public List<String> fields() {
            return List.of(pinLowField, pinHighField);
        }
    }
}
