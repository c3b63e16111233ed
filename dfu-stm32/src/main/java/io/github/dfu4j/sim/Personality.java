package io.github.dfu4j.sim;

import io.github.dfu4j.stm32.internal.ChipProfile;
import io.github.dfu4j.stm32.internal.MbootBoard;
import io.github.dfu4j.stm32.internal.Stm32Profiles;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One simulated product: an ST ROM bootloader of a chip profile, mboot on a board, or a generic plain
 * DFU 1.1 bootloader ({@link PlainDfuVariant}; its chip profile only supplies flash timing, programming
 * unit and RAM).
 */
record Personality(String id, String description, ChipProfile chip, Optional<MbootBoard> mboot, Optional<PlainDfuVariant> plain) {
    Personality {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(chip, "chip");
        Objects.requireNonNull(mboot, "mboot");
        Objects.requireNonNull(plain, "plain");
    }

    Personality(String id, String description, ChipProfile chip, Optional<MbootBoard> mboot) {
        this(id, description, chip, mboot, Optional.empty());
    }

    boolean isMboot() {
        return mboot.isPresent();
    }

    boolean isPlainDfu() {
        return plain.isPresent();
    }

    /** Fixed per-personality default serial: 12 hex digits like the ROM's UID-derived one. */
    String defaultSerial() {
        return String.format("%012X", (id.hashCode() & 0xFFFFFFFFL) * 0x10001L & 0xFFFFFFFFFFFFL);
    }

    static final List<Personality> ALL = build();

    private static List<Personality> build() {
        List<Personality> out = new ArrayList<>();
        for (ChipProfile c : Stm32Profiles.chips()) {
            out.add(new Personality(c.id(), describe(c), c, Optional.empty()));
        }
        for (MbootBoard b : Stm32Profiles.mbootBoards()) {
            out.add(new Personality(b.id(), "MicroPython mboot on " + b.board() + ", one alt setting with internal and SPI flash zones, "
                    + "wTransferSize " + b.transferSize() + ", resets on leave", b.chip(), Optional.of(b)));
        }
        for (PlainDfuVariant v : PlainDfuVariant.ALL) {
            out.add(new Personality(v.id(), v.describe(), PlainDfuVariant.CHIP, Optional.empty(), Optional.of(v)));
        }
        return List.copyOf(out);
    }

    private static String describe(ChipProfile c) {
        long kb = c.defaultFlashMap().size() / 1024;
        String size = kb >= 1024 ? kb / 1024 + " MB" : kb + " KB";
        int alts = 1 + c.rom().extraAltSettings().size();
        return c.line() + " ROM DfuSe bootloader, " + size + " flash, " + alts + " alt setting" + (alts > 1 ? "s" : "")
                + ", wTransferSize " + c.rom().transferSize() + ", leave via " + c.leave().name().toLowerCase().replace('_', ' ');
    }

    static Optional<Personality> byId(String id) {
        return ALL.stream().filter(p -> p.id.equals(id)).findFirst();
    }
}
