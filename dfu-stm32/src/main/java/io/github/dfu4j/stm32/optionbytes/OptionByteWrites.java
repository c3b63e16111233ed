package io.github.dfu4j.stm32.optionbytes;

import io.github.dfu4j.stm32.optionbytes.Review.Finding;
import io.github.dfu4j.dfu.DfuException;
import io.github.dfu4j.layout.MemoryLayout;
import io.github.dfu4j.ops.WriteFinding;
import io.github.dfu4j.ops.WriteRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The STM32 rules of the write gate for option bytes: bytes that reach an option-byte block through
 * any operation (a DfuSe target, FILE@ADDR, a raw write to the alt setting) are decoded over the
 * current option bytes read from the device and reviewed by {@link OptionBytePolicy}, exactly like
 * {@code OptionBytePolicy.review} for a change by field. Each policy finding becomes a
 * {@link WriteFinding} of kind {@link WriteFinding.Kind#OPTION_BYTES} that keeps its confirmation.
 * Package-private: callers use {@link OptionBytePolicy#reviewWrites}.
 */
final class OptionByteWrites {
    private OptionByteWrites() {
    }

    /**
     * The findings for {@code request}'s option-byte writes (none when it writes no option bytes or the
     * chip's option-byte layout is unknown: the gate then asks for the unverified-layout confirmation).
     *
     * @throws DfuException when the current option bytes cannot be read
     */
    static List<WriteFinding> review(WriteRequest request, WriteRequest.Reader reader) throws DfuException {
        Optional<OptionByteLayout> found = OptionByteLayouts.forAltSettings(request.alts());
        if (found.isEmpty()) {
            return List.of();
        }
        OptionByteLayout layout = found.get();
        List<WriteRequest.Chunk> touching = new ArrayList<>();
        for (WriteRequest.Chunk c : request.writes()) {
            for (OptionByteLayout.Block block : layout.blocks()) {
                if (c.address() < block.end() && block.address() < c.end()) {
                    touching.add(c);
                    break;
                }
            }
        }
        if (touching.isEmpty()) {
            return List.of();
        }
        List<byte[]> current = new ArrayList<>();
        for (OptionByteLayout.Block block : layout.blocks()) {
            int alt = altHolding(request.layouts(), block.address());
            byte[] data = alt < 0 ? new byte[0] : reader.read(alt, block.address(), (int) block.size());
            if (data.length != block.size()) {
                return List.of(WriteFinding.impossible(WriteFinding.Kind.OPTION_BYTES, String.format(
                        "the current option bytes at 0x%08x could not be read (%d of %d bytes), so the write cannot be"
                                + " reviewed", block.address(), data.length, block.size()), alt, block.address()));
            }
            current.add(data);
        }
        OptionByteImage now = OptionByteImage.of(current);
        List<byte[]> next = now.blocks();
        for (WriteRequest.Chunk c : touching) {
            byte[] data = c.data();
            for (int b = 0; b < layout.blocks().size(); b++) {
                OptionByteLayout.Block block = layout.blocks().get(b);
                for (int i = 0; i < data.length; i++) {
                    long a = c.address() + i;
                    if (block.contains(a)) {
                        next.get(b)[(int) (a - block.address())] = data[i];
                    }
                }
            }
        }
        OptionByteReport before;
        OptionByteReport after;
        try {
            before = layout.decode(now, "current option bytes");
            after = layout.decode(OptionByteImage.of(next), "option bytes as written");
        } catch (OptionByteFormatException e) {
            return List.of(WriteFinding.impossible(WriteFinding.Kind.OPTION_BYTES, "the option bytes cannot be decoded: "
                    + e.getMessage(), -1, layout.address()));
        }
        Review review = OptionBytePolicy.review(before, after);
        int alt = altHolding(request.layouts(), layout.address());
        List<WriteFinding> out = new ArrayList<>();
        for (Finding f : review.findings()) {
            String message = "option bytes (" + layout.family() + "): " + f.message();
            out.add((switch (f.severity()) {
                case IMPOSSIBLE -> WriteFinding.impossible(WriteFinding.Kind.OPTION_BYTES, message, alt, layout.address());
                case NEEDS_CONFIRMATION -> WriteFinding.needs(WriteFinding.Kind.OPTION_BYTES, f.needs().orElseThrow(), message,
                        alt, layout.address());
                case INFO -> WriteFinding.info(f.kind() == Finding.Kind.DEVICE_RESETS ? WriteFinding.Kind.DEVICE_RESETS
                        : WriteFinding.Kind.OPTION_BYTES, message, alt, layout.address());
            }).withRemedy(f.remedy()));
        }
        if (out.stream().noneMatch(f -> f.kind() == WriteFinding.Kind.OPTION_BYTES)) {
            // the gate takes an OPTION_BYTES finding as "reviewed"
            out.add(WriteFinding.info(WriteFinding.Kind.OPTION_BYTES, "option bytes (" + layout.family() + ") reviewed: "
                    + review.changes().size() + " field(s) change", alt, layout.address()));
        }
        return out;
    }

    private static int altHolding(Map<Integer, MemoryLayout> layouts, long address) {
        return layouts.entrySet().stream().filter(e -> e.getValue().contains(address)).map(Map.Entry::getKey)
                .sorted().findFirst().orElse(-1);
    }
}
