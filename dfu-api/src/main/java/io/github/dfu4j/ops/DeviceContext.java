package io.github.dfu4j.ops;

import io.github.dfu4j.dfu.DfuException;
import io.github.dfu4j.dfu.DfuQuirks;
import io.github.dfu4j.dfu.FunctionalDescriptor;
import io.github.dfu4j.layout.LayoutFormatException;
import io.github.dfu4j.layout.MemoryLayout;
import io.github.dfu4j.layout.MemoryRegion;
import io.github.dfu4j.transport.AltSetting;
import io.github.dfu4j.transport.DfuTransport;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a {@link DfuDevice} learnt when it was opened and keeps for its life: the functional descriptor,
 * the profile, the alternate settings and their memory layouts after the profile's corrections (and the
 * '@' strings that could not be parsed). Read once by {@link #read}, through the transport's descriptor
 * queries only (no DFU request); the layout checks of the memory operations live here too.
 */
final class DeviceContext {
    private static final Logger log = LoggerFactory.getLogger(DeviceContext.class);

    private final FunctionalDescriptor descriptor;
    private final DeviceProfile profile;
    private final List<AltSetting> alts;
    private final Map<Integer, MemoryLayout> layouts;
    private final Map<Integer, LayoutFormatException> layoutErrors;

    private DeviceContext(FunctionalDescriptor descriptor, DeviceProfile profile, List<AltSetting> alts,
                          Map<Integer, MemoryLayout> layouts, Map<Integer, LayoutFormatException> layoutErrors) {
        this.descriptor = descriptor;
        this.profile = profile;
        this.alts = List.copyOf(alts);
        this.layouts = layouts;
        this.layoutErrors = layoutErrors;
    }

    /**
     * Reads the functional descriptor and parses the memory layout of every alternate setting whose name
     * starts with '@' (corrected by the profile; unparsable ones are logged and kept as errors).
     *
     * @throws DfuException (kind PROTOCOL) when the descriptor is unusable or its transfer size is 0
     */
    static DeviceContext read(DfuTransport transport, DeviceProfile profile) throws DfuException {
        io.github.dfu4j.transport.DeviceInfo info = transport.device();
        String who = info.vidPid() + " at " + info.path();
        FunctionalDescriptor d = FunctionalDescriptor.parse(transport.functionalDescriptor(), who + " functional descriptor");
        if (profile.quirks().effectiveTransferSize(d.transferSize()) <= 0) {
            throw DfuException.protocol(who + ": the device reports wTransferSize 0; set DfuQuirks.maxTransferSize");
        }
        Map<Integer, MemoryLayout> layouts = new LinkedHashMap<>();
        Map<Integer, LayoutFormatException> errors = new LinkedHashMap<>();
        for (AltSetting alt : transport.altSettings()) {
            String name = alt.name();
            if (!name.stripLeading().startsWith("@")) {
                continue;
            }
            try {
                MemoryLayout reported = MemoryLayout.parse(name, "alt " + alt.altSetting());
                layouts.put(alt.altSetting(), profile.correctLayout(alt.altSetting(), reported));
            } catch (LayoutFormatException e) {
                log.warn("{}: {}", who, e.getMessage());
                errors.put(alt.altSetting(), e);
            }
        }
        return new DeviceContext(d, profile, transport.altSettings(), layouts, errors);
    }

    FunctionalDescriptor descriptor() {
        return descriptor;
    }

    DeviceProfile profile() {
        return profile;
    }

    List<AltSetting> alts() {
        return alts;
    }

    /** The layouts by alternate setting (the map itself; callers do not change it). */
    Map<Integer, MemoryLayout> layouts() {
        return layouts;
    }

    Map<Integer, LayoutFormatException> layoutErrors() {
        return layoutErrors;
    }

    /** The transfer size with these quirks: wTransferSize, capped by them. */
    int transferSize(DfuQuirks quirks) {
        return quirks.effectiveTransferSize(descriptor.transferSize());
    }

    void requireDfuse(String what) throws DfuException {
        if (!descriptor.isDfuse()) {
            throw DfuException.protocol(what + " needs a DfuSe device (bcdDFU 0x011A); this one reports "
                    + String.format("0x%04x", descriptor.bcdDfu()));
        }
    }

    /**
     * Checks [address, address + length) of an alternate setting against its layout: readable for a
     * read (no layout: the device decides), erasable for an erase (no layout: refused).
     */
    void checkAccess(int alt, long address, long length, boolean read) throws DfuException {
        if (address < 0 || address + length > (1L << 32)) {
            throw DfuException.memoryAccess(String.format("0x%x+%d is outside the 32-bit address space", address, length), address);
        }
        MemoryLayout l = layouts.get(alt);
        if (l == null) {
            if (read) {
                return; // no layout: the device decides
            }
            throw DfuException.memoryAccess("alt " + alt + " has no memory layout, so sectors to erase are unknown", address);
        }
        long a = address;
        long end = address + length;
        while (a < end) {
            Optional<MemoryRegion> r = l.regionAt(a);
            if (r.isEmpty()) {
                throw DfuException.memoryAccess(String.format("0x%08x (alt %d) is outside the memory layout %s", a, alt,
                        l.format()), a);
            }
            boolean ok = read ? r.get().access().readable() : r.get().access().erasable();
            if (!ok) {
                throw DfuException.memoryAccess(String.format("0x%08x (alt %d) is not %s in the memory layout %s", a, alt,
                        read ? "readable" : "erasable", l.format()), a);
            }
            a = r.get().end();
        }
    }

    /** The span of an alternate setting's layout (what a mass erase may touch), or null without a layout. */
    MemoryRange wholeMemory(int alt) {
        MemoryLayout l = layouts.get(alt);
        if (l == null || l.regions().isEmpty()) {
            return null;
        }
        long end = 0;
        for (MemoryRegion r : l.regions()) {
            end = Math.max(end, r.end());
        }
        return new MemoryRange(alt, l.start(), end);
    }

    /** The erasable bytes of an alternate setting's layout (a mass erase's progress total). */
    long erasableBytes(int alt) {
        MemoryLayout l = layouts.get(alt);
        long n = 0;
        if (l != null) {
            for (MemoryRegion r : l.regions()) {
                if (r.access().erasable()) {
                    n += r.size();
                }
            }
        }
        return n;
    }
}
