package io.github.dfu4j.stm32;

import io.github.dfu4j.stm32.internal.Stm32Profiles;
import io.github.dfu4j.ops.LeaveMode;
import io.github.dfu4j.transport.DeviceInfo;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * STM32 recognition as data: what each kind of bootloader looks like in its descriptors, one row per
 * signature, evaluated by {@link #match} (first matching row wins). The rows restate
 * docs/reference/stm32.md (ST ROM strings per line, bcdDevice values) and docs/reference/mboot.md
 * (MicroPython mboot's strings and zones); {@link Stm32Identifier} then picks the line or board by the
 * alt-setting strings of {@link Stm32Profiles}.
 */
final class RomSignatures {
    private RomSignatures() {
    }

    static final int ANY = -1;
    private static final int ST_VID = 0x0483;
    private static final int DFU_PID = 0xDF11;
    /** The H7 ROMs' iProduct. */
    private static final String H7_ROM_PRODUCT = "DFU in FS Mode";
    private static final Pattern ANY_TEXT = Pattern.compile("(?s).*");
    private static final Pattern H7_PRODUCT = Pattern.compile(Pattern.quote(H7_ROM_PRODUCT));
    /** The ROM product strings with any spacing: "STM32  BOOTLOADER" (two blanks on F4) or "DFU in FS Mode". */
    private static final Pattern ROM_PRODUCT =
            Pattern.compile("[\\x00-\\x20]*(STM32\\s+BOOTLOADER|DFU\\s+in\\s+FS\\s+Mode)[\\x00-\\x20]*");
    private static final Pattern ST_MANUFACTURER = Pattern.compile("(?s)STMicroelectronics.*");
    private static final Pattern MICROPYTHON = Pattern.compile(Pattern.quote("MicroPython"));
    private static final String MBOOT_STRINGS = "strings \"MicroPython\" / \"Pyboard DFU\": MicroPython mboot";
    private static final String ST_BY_MANUFACTURER = "0483:df11 with ST as manufacturer: ST DfuSe bootloader";
    private static final String ST_BY_PRODUCT = "0483:df11 with a ROM product string: ST DfuSe bootloader";

    /**
     * One signature row; {@link #ANY} matches any number.
     *
     * @param kind               what a device with this signature is
     * @param vendorId           idVendor or ANY
     * @param productId          idProduct or ANY
     * @param manufacturer       iManufacturer matches this pattern entirely
     * @param product            iProduct matches this pattern entirely
     * @param bcdDevice          bcdDevice or ANY
     * @param spiZones           also needs a single alt setting with zones at 0x80000000/0x90000000 (mboot's
     *                           external SPI flash)
     * @param leave              how such a bootloader leaves DFU (for an unlisted line or board)
     * @param evidence           the evidence line the identification records
     */
    record Row(Identification.Kind kind, int vendorId, int productId, Pattern manufacturer, Pattern product,
               int bcdDevice, boolean spiZones, LeaveMode leave, String evidence) {
        Row {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(manufacturer, "manufacturer");
            Objects.requireNonNull(product, "product");
            Objects.requireNonNull(leave, "leave");
            Objects.requireNonNull(evidence, "evidence");
        }

        boolean matches(DeviceInfo d, boolean hasSpiZones) {
            return (vendorId == ANY || vendorId == d.vendorId()) && (productId == ANY || productId == d.productId())
                    && manufacturer.matcher(d.manufacturer()).matches() && product.matcher(d.product()).matches()
                    && (bcdDevice == ANY || bcdDevice == d.bcdDevice()) && (!spiZones || hasSpiZones);
        }
    }

    private static Row row(Identification.Kind kind, int vid, int pid, Pattern manufacturer, Pattern product, int bcd,
                           boolean spiZones, LeaveMode leave, String evidence) {
        return new Row(kind, vid, pid, manufacturer, product, bcd, spiZones, leave, evidence);
    }

    /** In order: mboot first (it may use ST's IDs), then the ST ROMs, the H7 rows before the others. */
    static final List<Row> ROWS = List.of(
            row(Identification.Kind.MBOOT, ANY, ANY, MICROPYTHON, ANY_TEXT, ANY, false, LeaveMode.IGNORED_RESETS,
                    MBOOT_STRINGS),
            row(Identification.Kind.MBOOT, ANY, ANY, ANY_TEXT, Pattern.compile("(?s).*Pyboard DFU.*"), ANY, false,
                    LeaveMode.IGNORED_RESETS, MBOOT_STRINGS),
            row(Identification.Kind.MBOOT, ANY, ANY, ANY_TEXT, ANY_TEXT, 0x0300, true, LeaveMode.IGNORED_RESETS,
                    "bcdDevice 0x0300 and one alt setting with zones at 0x80000000/0x90000000: mboot layout"),
            row(Identification.Kind.ST_ROM, ST_VID, DFU_PID, ST_MANUFACTURER, H7_PRODUCT, 0x0200, false,
                    LeaveMode.RESET_HANDLER, ST_BY_MANUFACTURER),
            row(Identification.Kind.ST_ROM, ST_VID, DFU_PID, ST_MANUFACTURER, ANY_TEXT, ANY, false,
                    LeaveMode.VECTOR_TABLE, ST_BY_MANUFACTURER),
            row(Identification.Kind.ST_ROM, ST_VID, DFU_PID, ANY_TEXT, H7_PRODUCT, 0x0200, false, LeaveMode.RESET_HANDLER,
                    ST_BY_PRODUCT),
            row(Identification.Kind.ST_ROM, ST_VID, DFU_PID, ANY_TEXT, ROM_PRODUCT, ANY, false, LeaveMode.VECTOR_TABLE,
                    ST_BY_PRODUCT));

    /**
     * Older bootloaders of a line whose table row reports another bcdDevice: the F4-class ROM before
     * 0x2200 reports 0x2100 and types every extra alt setting 'g' (docs/reference/stm32.md).
     */
    static final List<Row> OLDER_BOOTLOADERS = List.of(
            row(Identification.Kind.ST_ROM, ST_VID, DFU_PID, ANY_TEXT, ANY_TEXT, 0x2100, false, LeaveMode.VECTOR_TABLE,
                    "bcdDevice 0x2100: an older F4-class bootloader (its extra alt settings are typed 'g')"));

    /** The first row the device matches. */
    static Optional<Row> match(DeviceInfo device, boolean hasSpiZones) {
        return first(ROWS, device, hasSpiZones);
    }

    /** The older-bootloader row for a device identified as a line that leaves via {@code chipLeave}. */
    static Optional<Row> olderBootloader(DeviceInfo device, LeaveMode chipLeave) {
        return first(OLDER_BOOTLOADERS, device, false).filter(r -> r.leave() == chipLeave);
    }

    private static Optional<Row> first(List<Row> rows, DeviceInfo device, boolean hasSpiZones) {
        return rows.stream().filter(r -> r.matches(device, hasSpiZones)).findFirst();
    }
}
