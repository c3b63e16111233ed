package io.github.dfu4j.stm32.internal;


import io.github.dfu4j.stm32.Evidence;

import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * The option-byte memory the ROM exposes as its "Option Bytes" alt setting (docs/reference/stm32.md §4.4).
 * The read-protection level is the byte at {@code rdpOffset} of the first block: 0xAA level 0,
 * 0xCC level 2, anything else level 1 ([V] HAL, OpenOCD).
 *
 * @param blocks       the blocks in alt-setting order (F42x has a second block for bank 2)
 * @param rdpOffset    offset of the RDP byte within the first block
 * @param defaultHex   factory contents of each block as hex, one string per block
 * @param evidence     backing of the layout and defaults (the byte order inside F4/F7 blocks and
 *                     the H7 register window are unverified)
 */
public record OptionBytes(List<MemoryArea> blocks, int rdpOffset, List<String> defaultHex, Evidence evidence) {
    public static final int RDP_LEVEL_0 = 0xAA;
    public static final int RDP_LEVEL_2 = 0xCC;

    public OptionBytes {
        blocks = List.copyOf(blocks);
        defaultHex = List.copyOf(defaultHex);
        Objects.requireNonNull(evidence, "evidence");
        if (blocks.isEmpty() || blocks.size() != defaultHex.size()) {
            throw new IllegalArgumentException("one default per option-byte block");
        }
        for (int i = 0; i < blocks.size(); i++) {
            if (HexFormat.of().parseHex(defaultHex.get(i)).length != blocks.get(i).size()) {
                throw new IllegalArgumentException("default of " + blocks.get(i).name() + " does not match its size");
            }
        }
        if (rdpOffset < 0 || rdpOffset >= blocks.get(0).size()) {
            throw new IllegalArgumentException("rdpOffset outside the first block: " + rdpOffset);
        }
    }

    /** Address of the first block. */
    public long address() {
        return blocks.get(0).address();
    }

    /** Factory contents of block {@code i}. */
    public byte[] defaults(int i) {
        return HexFormat.of().parseHex(defaultHex.get(i));
    }

    /** Read-protection level (0, 1 or 2) for an RDP byte value. */
    public static int rdpLevel(int rdpByte) {
        int b = rdpByte & 0xFF;
        return b == RDP_LEVEL_0 ? 0 : b == RDP_LEVEL_2 ? 2 : 1;
    }
}
