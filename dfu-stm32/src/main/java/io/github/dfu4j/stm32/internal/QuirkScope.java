package io.github.dfu4j.stm32.internal;

import io.github.dfu4j.transport.DeviceInfo;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Where a {@link QuirkRule} applies: the USB identity the affected ROMs report and the lines they
 * belong to. A device is affected when its VID/PID match and either dfu4j identified it as one of
 * {@code profileIds} or its DBGMCU device ID (given by the caller; descriptors do not carry it) is in
 * {@code deviceIds}. {@code bcdDevices} and {@code products}, when not empty, must match too.
 *
 * @param vendorId   idVendor of the affected ROMs (0x0483)
 * @param productId  idProduct (0xDF11)
 * @param bcdDevices bcdDevice values they report; empty = not known / any
 * @param products   iProduct strings they report; empty = not known / any
 * @param deviceIds  DBGMCU DEV_IDs, each a row of {@link Stm32Profiles#deviceIds()} (which names the line)
 * @param profileIds dfu4j chip profiles ({@link Stm32Profiles}) that carry the quirk
 * @param note       what the identifiers cannot express (silicon revision, bootloader version)
 */
public record QuirkScope(int vendorId, int productId, Set<Integer> bcdDevices, Set<String> products,
                         Set<Integer> deviceIds, Set<String> profileIds, String note) {
    public QuirkScope {
        bcdDevices = Set.copyOf(bcdDevices);
        products = Set.copyOf(products);
        deviceIds = Set.copyOf(deviceIds);
        profileIds = Set.copyOf(profileIds);
        Objects.requireNonNull(note, "note");
    }

    /**
     * True when the quirk applies to this device.
     *
     * @param profileId the chip profile dfu4j identified, if any
     * @param deviceId  the DBGMCU device ID, if the caller knows it
     */
    public boolean matches(DeviceInfo device, Optional<String> profileId, OptionalInt deviceId) {
        if (device.vendorId() != vendorId || device.productId() != productId) {
            return false;
        }
        if (!bcdDevices.isEmpty() && !bcdDevices.contains(device.bcdDevice())) {
            return false;
        }
        if (!products.isEmpty() && !products.contains(device.product())) {
            return false;
        }
        return profileId.filter(profileIds::contains).isPresent()
                || (deviceId.isPresent() && deviceIds.contains(deviceId.getAsInt()));
    }

    /** "0483:df11, bcdDevice 0x0200, "DFU in FS Mode", DEV_ID 0x450 (STM32H742/H743/H753/H750)" */
    public String describe() {
        StringBuilder b = new StringBuilder(String.format("%04x:%04x", vendorId, productId));
        for (int bcd : new java.util.TreeSet<>(bcdDevices)) {
            b.append(String.format(", bcdDevice 0x%04x", bcd));
        }
        for (String p : new java.util.TreeSet<>(products)) {
            b.append(", \"").append(p).append('"');
        }
        for (int id : new java.util.TreeSet<>(deviceIds)) {
            b.append(String.format(", DEV_ID 0x%03x (%s)", id,
                    Stm32Profiles.lineOfDeviceId(id).orElse("line not in the device-ID table")));
        }
        if (!note.isEmpty()) {
            b.append("; ").append(note);
        }
        return b.toString();
    }
}
