package io.github.dfu4j.sim;

import io.github.dfu4j.formats.FirmwareFormatException;
import io.github.dfu4j.formats.FirmwareImage;
import io.github.dfu4j.stm32.internal.MemoryKind;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.zip.CRC32;

/**
 * The {@code --sim-state} file: memories, option bytes and boot state of one simulated device, so
 * that flash, upload and leave can run as separate processes. Big-endian, version 1:
 *
 * <pre>
 * "DFU4JSIM" u16 version=1
 * str id, str flashMode                     (str = u16 length + UTF-8 bytes; the map in use when saved)
 * u8 flags (bit0 application running)
 * [u32 vectorTable, u32 entryPoint, str how]  only with bit0
 * u64 device time in ns
 * u16 regionCount, then per region in device order:
 *   u32 base, u32 size, u8 kind (MemoryKind ordinal), u32 runCount,
 *   runCount x (u32 offset, u32 length, length bytes)   only 1 KB pages that hold a non-0xFF byte
 * u32 CRC-32 (java.util.zip.CRC32) of every preceding byte
 * </pre>
 */
final class StateFile {
    static final byte[] MAGIC = "DFU4JSIM".getBytes(StandardCharsets.US_ASCII);
    static final int VERSION = 1;
    /** Largest file accepted: far above 3 x 8 MB of memory images. */
    static final long MAX_FILE = 64L << 20;

    private StateFile() {
    }

    static void save(SimBootloader d, Path file) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.write(MAGIC);
        out.writeShort(VERSION);
        str(out, d.personality.id());
        str(out, d.flashMode()); // the map the bootloader runs with now, not the one it was made with
        out.writeByte(d.app != null ? 1 : 0);
        if (d.app != null) {
            out.writeInt((int) d.app.vectorTable());
            out.writeInt((int) d.app.entryPoint());
            str(out, d.app.how());
        }
        out.writeLong(d.clock.nanoTime());
        out.writeShort(d.regions.size());
        for (Region r : d.regions) {
            out.writeInt((int) r.base);
            out.writeInt((int) r.size);
            out.writeByte(r.kind.ordinal());
            SparseMemory m = r.memory;
            ByteArrayOutputStream runs = new ByteArrayOutputStream();
            DataOutputStream ro = new DataOutputStream(runs);
            int count = 0;
            int p = 0;
            while (p < m.pageCount()) {
                if (!m.pageInUse(p)) {
                    p++;
                    continue;
                }
                int q = p;
                while (q < m.pageCount() && m.pageInUse(q)) {
                    q++;
                }
                long offset = (long) p * SparseMemory.PAGE;
                int length = (int) (Math.min((long) q * SparseMemory.PAGE, m.size()) - offset);
                ro.writeInt((int) offset);
                ro.writeInt(length);
                ro.write(m.read(offset, length));
                count++;
                p = q;
            }
            out.writeInt(count);
            runs.writeTo(out);
        }
        out.flush();
        CRC32 crc = new CRC32();
        crc.update(bytes.toByteArray());
        out.writeInt((int) crc.getValue());
        out.flush();
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
        try {
            Files.write(tmp, bytes.toByteArray());
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static void str(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeShort(b.length);
        out.write(b);
    }

    /** Bounds-checked reader that names the file and offset in every error. */
    private static final class Cursor {
        final String source;
        final ByteBuffer buf;

        Cursor(String source, byte[] data, int limit) {
            this.source = source;
            this.buf = ByteBuffer.wrap(data, 0, limit);
        }

        FirmwareFormatException error(String reason) {
            return stateError(source, buf.position(), reason);
        }

        void need(long n, String what) throws FirmwareFormatException {
            if (n < 0 || n > buf.remaining()) {
                throw error(what + " needs " + n + " bytes, " + buf.remaining() + " left");
            }
        }

        int u8(String what) throws FirmwareFormatException {
            need(1, what);
            return buf.get() & 0xFF;
        }

        int u16(String what) throws FirmwareFormatException {
            need(2, what);
            return buf.getShort() & 0xFFFF;
        }

        long u32(String what) throws FirmwareFormatException {
            need(4, what);
            return buf.getInt() & 0xFFFF_FFFFL;
        }

        long u64(String what) throws FirmwareFormatException {
            need(8, what);
            return buf.getLong();
        }

        String str(String what) throws FirmwareFormatException {
            int n = u16(what + " length");
            need(n, what);
            byte[] b = new byte[n];
            buf.get(b);
            return new String(b, StandardCharsets.UTF_8);
        }
    }

    static SimulatedDevice load(Path file, SimOptions options) throws IOException {
        String source = file.toString();
        long size = Files.size(file);
        if (size > MAX_FILE) {
            throw stateError(source, -1, "file is " + size + " bytes, more than a state file can be (" + MAX_FILE + ")");
        }
        byte[] data = Files.readAllBytes(file);
        int minimum = MAGIC.length + 2 + 4;
        if (data.length < minimum) {
            throw stateError(source, data.length, "truncated: " + data.length + " bytes is less than a header");
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (data[i] != MAGIC[i]) {
                throw stateError(source, 0, "not a dfu4j simulator state file (no DFU4JSIM signature)");
            }
        }
        int body = data.length - 4;
        CRC32 crc = new CRC32();
        crc.update(data, 0, body);
        long stored = ByteBuffer.wrap(data, body, 4).getInt() & 0xFFFF_FFFFL;
        if (stored != crc.getValue()) {
            throw stateError(source, body, String.format("CRC 0x%08x, expected 0x%08x: file damaged", stored, crc.getValue()));
        }
        Cursor c = new Cursor(source, data, body);
        c.buf.position(MAGIC.length);
        int version = c.u16("version");
        if (version != VERSION) {
            throw stateError(source, MAGIC.length, "state file version " + version + ", this dfu4j reads " + VERSION);
        }
        int idAt = c.buf.position();
        String id = c.str("device id");
        String flashMode = c.str("flash mode");
        if (Personality.byId(id).isEmpty()) {
            throw stateError(source, idAt, "unknown simulated device '" + id + "'");
        }
        int flags = c.u8("flags");
        RunningApplication app = null;
        if ((flags & 1) != 0) {
            long vt = c.u32("vector table");
            long entry = c.u32("entry point");
            app = new RunningApplication(vt, entry, c.str("how"));
        }
        long nanos = c.u64("device time");
        SimulatedDevice device;
        try {
            device = SimulatedDevices.create(id, options.withFlashMode(flashMode).withInitialMemory(FirmwareImage.of()));
        } catch (IllegalArgumentException e) {
            throw stateError(source, idAt, e.getMessage());
        }
        SimBootloader d = device.model();
        int regionsAt = c.buf.position();
        int regionCount = c.u16("region count");
        if (regionCount != d.regions.size()) {
            throw stateError(source, regionsAt, regionCount + " regions, " + id + " has " + d.regions.size());
        }
        for (int i = 0; i < regionCount; i++) {
            Region r = d.regions.get(i);
            int at = c.buf.position();
            long base = c.u32("region base");
            long rsize = c.u32("region size");
            int kind = c.u8("region kind");
            if (base != r.base || rsize != r.size || kind != r.kind.ordinal()) {
                throw stateError(source, at, String.format("region %d is 0x%08x+%d %s, %s has 0x%08x+%d %s", i, base,
                        rsize, kind < MemoryKind.values().length ? MemoryKind.values()[kind] : "kind " + kind, id, r.base, r.size, r.kind));
            }
            long runs = c.u32("run count");
            r.erase(r.base, r.size);
            long previousEnd = 0;
            for (long k = 0; k < runs; k++) {
                int runAt = c.buf.position();
                long offset = c.u32("run offset");
                long length = c.u32("run length");
                if (offset < previousEnd || offset + length > r.size) {
                    throw stateError(source, runAt, String.format("run 0x%x+%d outside region %d (size %d) or out of order",
                            offset, length, i, r.size));
                }
                c.need(length, "run data");
                byte[] bytes = new byte[(int) length];
                c.buf.get(bytes);
                r.write(r.base + offset, bytes);
                previousEnd = offset + length;
            }
        }
        if (c.buf.remaining() != 0) {
            throw c.error(c.buf.remaining() + " unexpected bytes after the last region");
        }
        synchronized (d) {
            // the option bytes decide the flash map (F76x nDBANK), as at a reset; the saved contents stay
            d.optionBytesLoaded(false);
            if (app != null) {
                d.app = app;
                d.onBus = false;
                d.generation++;
                d.backInDfuAt = Long.MAX_VALUE;
            }
            if (d.clock.isVirtual()) {
                d.clock.passUntil(Math.max(0, nanos));
            }
        }
        return device;
    }

    /**
     * A state file that cannot be loaded: one line naming the file and the byte offset, e.g.
     * {@code board.sim@0x0000002a: region 1 is 0x1fffc000+16, the device has 0x1fff7800+528}
     * ({@code offset} &lt; 0: the file as a whole).
     */
    static FirmwareFormatException stateError(String source, long offset, String reason) {
        return offset >= 0 ? FirmwareFormatException.atOffset(source, offset, reason) : FirmwareFormatException.ofFile(source, reason);
    }
}
