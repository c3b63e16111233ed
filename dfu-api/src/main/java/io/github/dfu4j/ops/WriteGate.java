package io.github.dfu4j.ops;

import io.github.dfu4j.dfu.DfuException;
import io.github.dfu4j.formats.DfuSuffix;
import io.github.dfu4j.layout.MemoryLayout;
import io.github.dfu4j.layout.MemoryRegion;
import io.github.dfu4j.transport.DeviceInfo;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The reviewing half of the write gate: one policy for every byte dfu4j sends to be programmed,
 * erased or unlocked. {@link #review} runs before an operation sends anything and either throws
 * {@link WriteRefusedException} or returns a {@link Permit}; {@link GatedTransport} then lets through
 * only what the permit covers.
 *
 * <p>What it knows: the memory layouts and their r/e/w attributes; which regions are option bytes or
 * OTP (the ST DfuSe alt-setting names "Option Bytes" and "OTP Memory", AN3156); the device profile's
 * own rules ({@link DeviceProfile#reviewWrites}: dfu-stm32 decodes option bytes and applies the RDP and
 * boot-lock interlocks); the file's DFU suffix IDs; and what the caller confirmed.
 */
final class WriteGate {

    private WriteGate() {
    }

    /**
     * What one reviewed operation may send.
     *
     * @param writeRanges   per alt, the [start, end) ranges it may program
     * @param eraseSectors  per alt, the sector starts it may erase
     * @param massErases    alts it may mass-erase
     * @param readUnprotect whether it may send READ_UNPROTECT
     * @param plainDownload whether it may send plain DFU 1.1 data blocks
     * @param transferSize  the block size the operation numbers its blocks with
     * @param resetting     per alt, the ranges whose write makes the device reset (option bytes)
     * @param findings      what the review reported without refusing
     */
    record Permit(Map<Integer, List<long[]>> writeRanges, Map<Integer, Set<Long>> eraseSectors, Set<Integer> massErases,
                  boolean readUnprotect, boolean plainDownload, int transferSize, Map<Integer, List<long[]>> resetting,
                  List<WriteFinding> findings) {
        static final Permit NONE = new Permit(Map.of(), Map.of(), Set.of(), false, false, 1, Map.of(), List.of());

        boolean writes(int alt, long start, long end) {
            return covered(writeRanges.get(alt), start, end);
        }

        boolean erases(int alt, long sectorStart) {
            return eraseSectors.getOrDefault(alt, Set.of()).contains(sectorStart);
        }

        boolean resets(int alt, long start, long end) {
            List<long[]> r = resetting.get(alt);
            if (r == null) {
                return false;
            }
            for (long[] range : r) {
                if (start < range[1] && range[0] < end) {
                    return true;
                }
            }
            return false;
        }

        /** This permit with every range it may write marked as resetting the device ({@link Confirmation#DEVICE_RESET}). */
        Permit resettingEveryWrite() {
            return new Permit(writeRanges, eraseSectors, massErases, readUnprotect, plainDownload, transferSize, writeRanges,
                    findings);
        }

        private static boolean covered(List<long[]> ranges, long start, long end) {
            if (ranges == null) {
                return false;
            }
            for (long[] r : ranges) {
                if (r[0] <= start && end <= r[1]) {
                    return true;
                }
            }
            return false;
        }
    }

    /** What memory an address reaches, as far as the generic gate can tell from the alt-setting names. */
    enum Role { ORDINARY, OPTION_BYTES, OTP }

    /**
     * Reviews {@code request}; returns the permit or throws.
     *
     * @param suffix   the DFU suffix of the file being flashed, if any (its IDs are compared with the device)
     * @param device   the device's identity
     * @param plain    a plain DFU 1.1 download of {@code plainBytes} bytes (no addresses)
     */
    static Permit review(WriteRequest request, Set<Confirmation> confirmed, DeviceProfile profile,
                         Optional<DfuSuffix> suffix, DeviceInfo device, boolean plain, int transferSize,
                         WriteRequest.Reader reader) throws DfuException {
        List<WriteFinding> findings = new ArrayList<>();
        suffix.ifPresent(s -> {
            if (!s.matches(device.vendorId(), device.productId())) {
                findings.add(WriteFinding.needs(WriteFinding.Kind.DEVICE_ID_MISMATCH, Confirmation.OTHER_DEVICE,
                        String.format("the file's DFU suffix is for USB ID %04x:%04x, but the device is %04x:%04x",
                                s.idVendor(), s.idProduct(), device.vendorId(), device.productId()), -1, -1));
            }
        });
        Map<Integer, List<long[]>> resetting = new HashMap<>();
        WriteRequest.Chunk firstOptionBytes = null;
        for (WriteRequest.Chunk c : request.writes()) {
            layoutFindings(request, c.alt(), c.address(), c.end(), true, findings);
            Role role = role(request, c.alt(), c.address());
            if (role == Role.OTP) {
                findings.add(WriteFinding.needs(WriteFinding.Kind.OTP, Confirmation.OTP_WRITE, String.format(
                        "0x%08x-0x%08x (alt %d) is one-time-programmable memory: what is written there can never be"
                                + " erased or changed, the write is permanent", c.address(), c.end() - 1, c.alt()),
                        c.alt(), c.address()));
            } else if (role == Role.OPTION_BYTES) {
                firstOptionBytes = firstOptionBytes == null ? c : firstOptionBytes;
                resetting.computeIfAbsent(c.alt(), k -> new ArrayList<>()).add(new long[] {c.address(), c.end()});
            }
        }
        for (MemoryRange e : request.erases()) {
            layoutFindings(request, e.alt(), e.start(), e.end(), false, findings);
        }
        if (request.readUnprotect()) {
            findings.add(WriteFinding.needs(WriteFinding.Kind.READ_UNPROTECT, Confirmation.MASS_ERASE,
                    "READ_UNPROTECT makes the bootloader erase the whole flash (firmware and data are lost), remove read"
                            + " protection and reset the chip", -1, -1));
        }
        List<WriteFinding> fromProfile = profile.reviewWrites(request, reader);
        findings.addAll(fromProfile);
        if (firstOptionBytes != null && fromProfile.stream().noneMatch(f -> f.kind() == WriteFinding.Kind.OPTION_BYTES)) {
            WriteRequest.Chunk c = firstOptionBytes;
            findings.add(WriteFinding.needs(WriteFinding.Kind.OPTION_BYTES_UNDECODED, Confirmation.UNVERIFIED_LAYOUT,
                    String.format("0x%08x (alt %d) holds option bytes that dfu4j cannot decode for %s (%s), so it cannot"
                                    + " check the write for read protection or boot locks; a wrong byte can lock the chip",
                            c.address(), c.alt(), device.vidPid(), profile.name()), c.alt(), c.address()));
        }
        List<WriteFinding> blocking = new ArrayList<>();
        for (WriteFinding f : findings) {
            if (f.blocks(confirmed)) {
                blocking.add(f);
            }
        }
        if (!blocking.isEmpty()) {
            blocking.sort(Comparator.comparing((WriteFinding f) -> !f.impossible()));
            throw new WriteRefusedException(blocking);
        }
        return permit(request, plain, transferSize, resetting, findings);
    }

    private static Permit permit(WriteRequest request, boolean plain, int transferSize, Map<Integer, List<long[]>> resetting,
                                 List<WriteFinding> findings) {
        Map<Integer, List<long[]>> writes = new HashMap<>();
        for (WriteRequest.Chunk c : request.writes()) {
            writes.computeIfAbsent(c.alt(), k -> new ArrayList<>()).add(new long[] {c.address(), c.end()});
        }
        Map<Integer, Set<Long>> erases = new HashMap<>();
        for (MemoryRange e : request.erases()) {
            erases.computeIfAbsent(e.alt(), k -> new HashSet<>()).add(e.start());
        }
        // an impossible finding always blocks, so every finding that reaches the permit is a confirmed risk or a fact
        return new Permit(writes, erases, Set.copyOf(request.massErases()), request.readUnprotect(), plain,
                Math.max(1, transferSize), resetting, List.copyOf(findings));
    }

    /** A write or erase must lie in regions of its alt's layout that allow it. */
    private static void layoutFindings(WriteRequest request, int alt, long start, long end, boolean write,
                                       List<WriteFinding> out) {
        MemoryLayout l = request.layouts().get(alt);
        long a = start;
        while (a < end) {
            Optional<MemoryRegion> r = l == null ? Optional.empty() : l.regionAt(a);
            if (r.isEmpty()) {
                out.add(WriteFinding.needs(WriteFinding.Kind.OUTSIDE_LAYOUT, Confirmation.OUTSIDE_LAYOUT, String.format(
                        "0x%08x (alt %d) is outside the device's memory layout%s", a, alt,
                        l == null ? " (the alt setting has none)" : " " + l.format()), alt, a));
                return;
            }
            boolean ok = write ? r.get().access().writable() : r.get().access().erasable();
            if (!ok) {
                out.add(WriteFinding.needs(WriteFinding.Kind.NOT_WRITABLE, Confirmation.OUTSIDE_LAYOUT, String.format(
                        "0x%08x (alt %d) is not %s in the device's memory layout %s", a, alt,
                        write ? "writable" : "erasable", l.format()), alt, a));
                return;
            }
            a = r.get().end();
        }
    }

    /**
     * What {@code address} reaches: the alt setting's own name first, then the name of any alt setting
     * whose layout holds the address (a raw write to alt 0 at the option-byte address is still an
     * option-byte write).
     */
    static Role role(WriteRequest request, int alt, long address) {
        Role own = roleOf(request.altName(alt));
        if (own != Role.ORDINARY) {
            return own;
        }
        for (Map.Entry<Integer, MemoryLayout> e : request.layouts().entrySet()) {
            if (e.getValue().contains(address)) {
                Role r = roleOf(request.altName(e.getKey()));
                if (r != Role.ORDINARY) {
                    return r;
                }
            }
        }
        return Role.ORDINARY;
    }

    private static Role roleOf(String altName) {
        String n = altName.toLowerCase(Locale.ROOT);
        if (n.contains("option bytes") || n.contains("option byte")) {
            return Role.OPTION_BYTES;
        }
        if (n.contains("otp")) {
            return Role.OTP;
        }
        return Role.ORDINARY;
    }
}
