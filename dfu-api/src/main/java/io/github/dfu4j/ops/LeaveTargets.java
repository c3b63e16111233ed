package io.github.dfu4j.ops;

import io.github.dfu4j.dfu.DfuException;
import io.github.dfu4j.dfu.FunctionalDescriptor;
import io.github.dfu4j.formats.FirmwareImage;
import io.github.dfu4j.formats.Segment;
import io.github.dfu4j.layout.MemoryLayout;
import io.github.dfu4j.layout.MemoryRegion;
import io.github.dfu4j.plan.internal.FlashPlan;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a leave jumps, and why. {@link #resolve} is a pure function of the request, the image, the
 * plan and the profile's {@link LeaveMode}; when they give no address, {@link #deviceDefault} decides
 * from the device, which it reads only through the reader it is given (the application's vector table
 * at the start of flash for an H7-style ROM that branches to the address itself).
 */
final class LeaveTargets {
    private static final Logger log = LoggerFactory.getLogger(LeaveTargets.class);

    private final Map<Integer, MemoryLayout> layouts;
    private final FunctionalDescriptor descriptor;

    LeaveTargets(Map<Integer, MemoryLayout> layouts, FunctionalDescriptor descriptor) {
        this.layouts = layouts;
        this.descriptor = descriptor;
    }

    /** Where and why: the leave address (see {@link LeaveMode}); {@code alt} -1 when no layout holds it. */
    record Target(OptionalLong address, LeaveResult.AddressSource source, int alt) {
    }

    Target resolve(LeaveRequest request, FirmwareImage image, FlashPlan plan, DeviceProfile p) {
        if (request.kind() == LeaveRequest.Kind.ADDRESS) {
            long a = request.address().getAsLong();
            return new Target(request.address(), LeaveResult.AddressSource.EXPLICIT, altHolding(a));
        }
        OptionalLong entry = image.entryPoint();
        OptionalLong boot = plan.bootAddress();
        int alt = plan.bootAlt().orElse(0);
        switch (p.leaveMode()) {
            case RESET_HANDLER:
                if (entry.isPresent()) {
                    return new Target(entry, LeaveResult.AddressSource.IMAGE_ENTRY_POINT, altHolding(entry.getAsLong()));
                }
                if (boot.isPresent()) {
                    OptionalLong resetVector = word(image, boot.getAsLong() + 4, alt, plan.options().altOverride().isPresent());
                    if (resetVector.isPresent()) {
                        return new Target(resetVector, LeaveResult.AddressSource.RESET_VECTOR, alt);
                    }
                    log.warn("no reset vector at 0x{}; leaving through the table base", Long.toHexString(boot.getAsLong() + 4));
                    return new Target(boot, LeaveResult.AddressSource.VECTOR_TABLE_BASE, alt);
                }
                return null; // read from the device once flashed
            case VECTOR_TABLE:
                // The ROM loads SP and PC from a vector table; an ELF e_entry (the reset handler) would be
                // read as a table and crash, so the table base wins over the entry point.
                if (boot.isPresent()) {
                    return new Target(boot, LeaveResult.AddressSource.VECTOR_TABLE_BASE, alt);
                }
                if (entry.isPresent()) {
                    return new Target(entry, LeaveResult.AddressSource.IMAGE_ENTRY_POINT, altHolding(entry.getAsLong()));
                }
                return null;
            default:
                return null;
        }
    }

    /**
     * The leave address when neither the caller nor the image gives one. docs/troubleshooting.md 001: an H7 ROM branches to
     * the address itself, so the device's current pointer (the flash start after a fresh open) would
     * land in the vector table and the ROM would come straight back.
     */
    Target deviceDefault(DeviceProfile p, WriteRequest.Reader reader) throws DfuException {
        switch (p.leaveMode()) {
            case RESET_HANDLER:
                return resetVectorOnDevice(p, reader);
            case VECTOR_TABLE: {
                FlashStart f = flashStart(p);
                if (f == null && p.defaultFlashStart().isEmpty()) {
                    throw DfuException.leaveAddress("no writable memory in the layout and the device profile names no"
                            + " flash start, so the application's vector table cannot be found", null);
                }
                return new Target(OptionalLong.of(f == null ? p.defaultFlashStart().getAsLong() : f.address()),
                        LeaveResult.AddressSource.LAYOUT_START, f == null ? -1 : f.alt());
            }
            default:
                if (p.quirks().setAddressBeforeLeave()) {
                    int alt = layouts.containsKey(0) ? 0 : layouts.keySet().stream().findFirst().orElse(-1);
                    OptionalLong start = alt >= 0 ? OptionalLong.of(layouts.get(alt).start()) : p.defaultFlashStart();
                    if (start.isEmpty()) {
                        throw DfuException.leaveAddress("leave needs a SET_ADDRESS first, but there is no layout and the"
                                + " device profile names no flash start", null);
                    }
                    return new Target(start, LeaveResult.AddressSource.LAYOUT_START, alt);
                }
                return new Target(OptionalLong.empty(), LeaveResult.AddressSource.NONE, -1);
        }
    }

    /** Where the application's vector table lives: the lowest writable address of the flash layout. */
    private record FlashStart(int alt, long address) {
    }

    /**
     * The layout holding the profile's default flash start first (STM32: 0x08000000, the internal flash),
     * then alt 0, then the others; null without layouts.
     */
    private FlashStart flashStart(DeviceProfile p) {
        List<Integer> order = new ArrayList<>();
        int holding = p.defaultFlashStart().isPresent() ? altHolding(p.defaultFlashStart().getAsLong()) : -1;
        if (holding >= 0) {
            order.add(holding);
        }
        order.add(0);
        layouts.keySet().stream().sorted().forEach(order::add);
        for (int alt : order) {
            MemoryLayout l = layouts.get(alt);
            if (l == null) {
                continue;
            }
            long lowest = -1;
            for (MemoryRegion r : l.regions()) {
                if (r.access().writable() && (lowest < 0 || r.start() < lowest)) {
                    lowest = r.start();
                }
            }
            if (lowest >= 0) {
                return new FlashStart(alt, lowest);
            }
        }
        return null;
    }

    /**
     * Reads the first two words of the application's vector table and returns word 1, the reset
     * handler, as stored (Thumb bit included). Refuses a blank table or a handler outside flash rather
     * than jumping there.
     */
    private Target resetVectorOnDevice(DeviceProfile p, WriteRequest.Reader reader) throws DfuException {
        FlashStart f = flashStart(p);
        if (f == null) {
            throw DfuException.leaveAddress("no writable memory in the layout, so the application's vector table"
                    + " cannot be found", null);
        }
        if (!descriptor.canUpload()) {
            throw DfuException.leaveAddress("the device cannot upload (bitCanUpload is 0), so the reset handler"
                    + " cannot be read from the vector table", f.address());
        }
        byte[] table = reader.read(f.alt(), f.address(), 8);
        if (table.length < 8) {
            throw DfuException.leaveAddress("the device returned only " + table.length + " of the vector table's 8 bytes",
                    f.address());
        }
        long handler = (table[4] & 0xFFL) | (table[5] & 0xFFL) << 8 | (table[6] & 0xFFL) << 16 | (table[7] & 0xFFL) << 24;
        if (handler == 0xFFFF_FFFFL) {
            throw DfuException.leaveAddress("no application: the vector table is blank (reset vector 0xffffffff)",
                    f.address());
        }
        MemoryLayout l = layouts.get(f.alt());
        if (!l.contains(handler & ~1L)) {
            throw DfuException.leaveAddress(String.format("the vector table's reset vector 0x%08x is not inside flash %s,"
                    + " so there is no runnable application there", handler, l.format()), f.address());
        }
        log.debug("leave: reset vector 0x{} read from the vector table at 0x{}", Long.toHexString(handler),
                Long.toHexString(f.address()));
        return new Target(OptionalLong.of(handler), LeaveResult.AddressSource.RESET_VECTOR, f.alt());
    }

    int altHolding(long address) {
        for (Map.Entry<Integer, MemoryLayout> e : layouts.entrySet()) {
            if (e.getValue().contains(address)) {
                return e.getKey();
            }
        }
        return -1;
    }

    /** A little-endian 32-bit word of the image at the address, if the image has all four bytes there. */
    private static OptionalLong word(FirmwareImage image, long address, int alt, boolean anyAlt) {
        for (Segment s : image.segments()) {
            boolean altMatches = anyAlt || s.target().map(t -> t.altSetting()).orElse(0) == alt;
            if (altMatches && s.contains(address) && s.contains(address + 3)) {
                long w = 0;
                for (int i = 3; i >= 0; i--) {
                    w = w << 8 | (s.byteAt(address + i) & 0xFF);
                }
                return OptionalLong.of(w);
            }
        }
        return OptionalLong.empty();
    }
}
