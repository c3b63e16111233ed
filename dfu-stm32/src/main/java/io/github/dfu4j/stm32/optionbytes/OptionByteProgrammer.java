package io.github.dfu4j.stm32.optionbytes;

import io.github.dfu4j.dfu.DfuException;
import io.github.dfu4j.formats.FirmwareImage;
import io.github.dfu4j.formats.Segment;
import io.github.dfu4j.layout.MemoryLayout;
import io.github.dfu4j.ops.Confirmation;
import io.github.dfu4j.ops.DeviceProfile;
import io.github.dfu4j.ops.DfuDevice;
import io.github.dfu4j.ops.FlashOptions;
import io.github.dfu4j.ops.ProgressListener;
import io.github.dfu4j.transport.DfuTransport;
import io.github.dfu4j.transport.PortState;
import io.github.dfu4j.transport.TransportException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads and writes option bytes through a DfuSe ROM's "Option Bytes" alt setting, and sends
 * READ_UNPROTECT. Writing option bytes and READ_UNPROTECT make the ROM reset the chip, so the
 * device leaves the bus in the middle of the exchange: that is the expected end, and the
 * programmer then waits for the device to come back in DFU mode at its port
 * ({@link io.github.dfu4j.transport.DevicePort}) and reads the result back. The outcomes say what
 * happened; the transports the programmer opened on the way are closed again, so a caller that goes
 * on with the device reconnects through the port ({@code transport.port().awaitDfu(Duration.ZERO)}).
 *
 * <pre>{@code
 * OptionByteProgrammer p = new OptionByteProgrammer(DeviceProfile.generic(), Duration.ofSeconds(5));
 * DfuDevice dev = DfuDevice.open(transport);
 * OptionByteLayout layout = OptionByteLayouts.forAltSettings(dev.altSettings()).orElseThrow();
 * OptionByteImage now = OptionByteProgrammer.read(dev, layout);
 * OptionByteImage next = layout.encode(now, Map.of("BOOT_SEL", 1L));
 * OptionByteProgrammer.WriteOutcome w = p.write(transport, layout, now, next);   // check policy first
 * }</pre>
 *
 * Apply {@link OptionBytePolicy} before {@link #write}; the programmer itself does not judge
 * what it writes. Not thread-safe.
 */
public final class OptionByteProgrammer {
    private static final Logger log = LoggerFactory.getLogger(OptionByteProgrammer.class);

    private final DeviceProfile profile;
    private final Duration reopenTimeout;

    /**
     * @param profile       the device profile for the {@link DfuDevice}s it opens
     * @param reopenTimeout how long to wait for the device to come back in DFU mode after a reset
     */
    public OptionByteProgrammer(DeviceProfile profile, Duration reopenTimeout) {
        this.profile = reviewing(Objects.requireNonNull(profile, "profile"));
        this.reopenTimeout = Objects.requireNonNull(reopenTimeout, "reopenTimeout");
        if (reopenTimeout.isNegative()) {
            throw new IllegalArgumentException("negative reopen timeout");
        }
    }

    /**
     * The profile with the STM32 option-byte review for the write gate: whatever profile the caller
     * passes (even {@link DeviceProfile#generic()}), the blocks this programmer writes are decoded and
     * reviewed by {@link OptionBytePolicy}.
     */
    private static DeviceProfile reviewing(DeviceProfile p) {
        if (p instanceof io.github.dfu4j.stm32.Stm32DeviceProfile) {
            return p;
        }
        return new DeviceProfile() {
            @Override
            public String name() {
                return p.name();
            }

            @Override
            public io.github.dfu4j.ops.LeaveMode leaveMode() {
                return p.leaveMode();
            }

            @Override
            public io.github.dfu4j.dfu.DfuQuirks quirks() {
                return p.quirks();
            }

            @Override
            public int writeAlignment() {
                return p.writeAlignment();
            }

            @Override
            public MemoryLayout correctLayout(int altSetting, MemoryLayout reported) {
                return p.correctLayout(altSetting, reported);
            }

            @Override
            public List<io.github.dfu4j.ops.WriteFinding> reviewWrites(io.github.dfu4j.ops.WriteRequest request,
                                                                      io.github.dfu4j.ops.WriteRequest.Reader reader)
                    throws DfuException {
                List<io.github.dfu4j.ops.WriteFinding> out = new ArrayList<>(p.reviewWrites(request, reader));
                out.addAll(OptionByteWrites.review(request, reader));
                return out;
            }
        };
    }

    /**
     * One block written.
     *
     * @param block     block index
     * @param address   its address
     * @param resetSeen the device left the bus during the write (the expected system reset)
     */
    public record BlockWrite(int block, long address, boolean resetSeen) {
    }

    /**
     * How a write ended.
     *
     * @param writes        the blocks written, in order
     * @param backInDfu     the device came back in DFU mode at its port after the last reset (reconnect
     *                      through the port to go on with it)
     * @param atPort        when it did not: what was at the port when the wait ended (the application
     *                      came up, or the port is empty); empty when it came back, or the port cannot look
     * @param readBack      the option bytes read after the write, when it came back and could be read
     * @param readBackError why reading back failed (e.g. errVENDOR after setting RDP level 1)
     */
    public record WriteOutcome(List<BlockWrite> writes, boolean backInDfu, Optional<PortState> atPort,
                               Optional<OptionByteImage> readBack, Optional<Exception> readBackError) {
        public WriteOutcome {
            writes = List.copyOf(writes);
            Objects.requireNonNull(atPort, "atPort");
            Objects.requireNonNull(readBack, "readBack");
            Objects.requireNonNull(readBackError, "readBackError");
        }

        /** What was at the port when the wait for DFU mode ended without it; see the record's {@code atPort}. */
        @Override
        public Optional<PortState> atPort() {
            return atPort;
        }

        /** True when the read-back equals {@code expected}. */
        public boolean readBackMatches(OptionByteImage expected) {
            return readBack.map(expected::equals).orElse(false);
        }
    }

    /**
     * How READ_UNPROTECT ended.
     *
     * @param backInDfu the device came back in DFU mode at its port (erased, RDP level 0); reconnect
     *                  through the port to go on with it
     * @param atPort    when it did not: what was at the port when the wait ended; empty when it came
     *                  back, or the port cannot look
     */
    public record UnprotectOutcome(boolean backInDfu, Optional<PortState> atPort) {
        public UnprotectOutcome {
            Objects.requireNonNull(atPort, "atPort");
        }

        /** What was at the port when the wait for DFU mode ended without it; see the record's {@code atPort}. */
        @Override
        public Optional<PortState> atPort() {
            return atPort;
        }
    }

    /** The alt setting whose memory layout contains {@code address}. */
    public static OptionalInt altHolding(DfuDevice device, long address) {
        for (Map.Entry<Integer, MemoryLayout> e : device.layouts().entrySet()) {
            if (e.getValue().contains(address)) {
                return OptionalInt.of(e.getKey());
            }
        }
        return OptionalInt.empty();
    }

    private static int altFor(DfuDevice device, OptionByteLayout.Block block) throws DfuException {
        OptionalInt alt = altHolding(device, block.address());
        if (alt.isEmpty()) {
            throw DfuException.protocol(String.format("%s has no alt setting holding the option bytes at 0x%08X",
                    device.info().path(), block.address()));
        }
        return alt.getAsInt();
    }

    /**
     * Reads every option-byte block (each as one whole upload: the ROM refuses partial reads).
     *
     * @throws DfuException              the device refused (errVENDOR under RDP level 1: see {@link ReadProtection})
     * @throws OptionByteFormatException the device returned fewer bytes than the block has
     */
    public static OptionByteImage read(DfuDevice device, OptionByteLayout layout) throws DfuException, OptionByteFormatException {
        List<byte[]> blocks = new ArrayList<>();
        for (int b = 0; b < layout.blocks().size(); b++) {
            OptionByteLayout.Block block = layout.blocks().get(b);
            int alt = altFor(device, block);
            byte[] data = device.upload(alt, block.address(), (int) block.size(), ProgressListener.NONE);
            if (data.length != block.size()) {
                throw new OptionByteFormatException("alt " + alt + " of " + device.info().path(), b, data.length,
                        "the device returned " + data.length + " of " + block.size() + " bytes");
            }
            blocks.add(data);
        }
        return OptionByteImage.of(blocks);
    }

    /**
     * Writes the blocks of {@code proposed} that differ from {@code current}, one per reset: opens a
     * {@link DfuDevice} on {@code transport}, downloads the block to the option-byte alt setting
     * without verification (the chip resets before it could be read), treats the device leaving the
     * bus as the expected reset, waits for it to come back in DFU mode, and finally reads all blocks
     * back. {@code transport} (the caller's) belongs to the enumeration before the first reset: do not
     * use it, or a {@link DfuDevice} of it, afterwards; reconnect through its port instead.
     *
     * @throws DfuException when the ROM refuses the write (errVENDOR under RDP level 1, errTARGET)
     */
    public WriteOutcome write(DfuTransport transport, OptionByteLayout layout, OptionByteImage current, OptionByteImage proposed)
            throws DfuException {
        return write(transport, layout, current, proposed, Set.of());
    }

    /**
     * {@link #write(DfuTransport, OptionByteLayout, OptionByteImage, OptionByteImage)} with the
     * confirmations the caller gave: every block passes dfu-api's write gate, which reviews it with
     * {@link OptionBytePolicy} against the option bytes on the device and refuses
     * ({@link io.github.dfu4j.ops.WriteRefusedException}) what was not confirmed.
     */
    public WriteOutcome write(DfuTransport transport, OptionByteLayout layout, OptionByteImage current, OptionByteImage proposed,
                              Set<Confirmation> confirmed) throws DfuException {
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(confirmed, "confirmed");
        List<Integer> changed = current.changedBlocks(proposed);
        List<BlockWrite> writes = new ArrayList<>();
        DfuTransport t = transport;
        for (int b : changed) {
            OptionByteLayout.Block block = layout.blocks().get(b);
            DfuDevice device = DfuDevice.open(t, profile);
            int alt = altFor(device, block);
            // the device reset that loads the option bytes is the expected end (FlashResult.resetBy); the blocks
            // are read back below, after it comes back
            boolean reset = device.download(FirmwareImage.of(Segment.of(block.address(), proposed.block(b))),
                    FlashOptions.builder().alt(alt).verify(false).reopenTimeout(Duration.ZERO).confirmations(confirmed).build(),
                    ProgressListener.NONE).resetBy().isPresent();
            log.debug("option-byte block {} written; device reset: {}", b, reset);
            writes.add(new BlockWrite(b, block.address(), reset));
            Optional<DfuTransport> back = reopen(t);
            if (t != transport) {
                t.close();
            }
            if (back.isEmpty()) {
                return new WriteOutcome(writes, false, atPort(t), Optional.empty(), Optional.empty());
            }
            t = back.get();
        }
        Optional<OptionByteImage> readBack = Optional.empty();
        Optional<Exception> readBackError = Optional.empty();
        try {
            readBack = Optional.of(read(DfuDevice.open(t, profile), layout));
        } catch (DfuException | OptionByteFormatException e) {
            readBackError = Optional.of(e);
        }
        if (t != transport) {
            t.close();
        }
        return new WriteOutcome(writes, true, Optional.empty(), readBack, readBackError);
    }

    /**
     * Sends READ_UNPROTECT (the ROM mass-erases the flash, sets RDP level 0 and resets; see
     * {@link ReadProtection#UNPROTECT_CONSEQUENCES}) and waits for the device to come back. The write gate
     * requires {@link Confirmation#MASS_ERASE}.
     */
    public UnprotectOutcome readUnprotect(DfuTransport transport, Confirmation... confirmed) throws DfuException {
        DfuDevice device = DfuDevice.open(transport, profile);
        device.readUnprotect(confirmed);
        Optional<DfuTransport> back = reopen(transport);
        back.ifPresent(DfuTransport::close);
        return new UnprotectOutcome(back.isPresent(), back.isPresent() ? Optional.empty() : atPort(transport));
    }

    /** What is at {@code t}'s port now, or empty when the port cannot look. */
    private static Optional<PortState> atPort(DfuTransport t) {
        try {
            return Optional.of(t.port().state());
        } catch (TransportException e) {
            log.debug("cannot look at the device's port: {}", e.getMessage());
            return Optional.empty();
        }
    }

    private Optional<DfuTransport> reopen(DfuTransport t) {
        try {
            return t.port().awaitDfu(reopenTimeout);
        } catch (TransportException e) {
            log.debug("cannot look for the device coming back in DFU mode: {}", e.getMessage());
            return Optional.empty();
        }
    }
}
