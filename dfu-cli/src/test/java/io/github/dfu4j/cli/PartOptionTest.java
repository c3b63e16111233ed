package io.github.dfu4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --part}: the ROM of a smaller part reports its die's flash, so only the user can say an H743 die
 * is an STM32H750xB (128 KiB) or an H743xG (512 KiB per bank); the layout is then clipped to that part.
 */
class PartOptionTest {
    @TempDir
    Path dir;

    private Path image(int bytes) throws Exception {
        byte[] b = new byte[bytes];
        Arrays.fill(b, (byte) 0x5A);
        Path p = dir.resolve("app-" + bytes + ".bin");
        Files.write(p, b);
        return p;
    }

    private static CliRunner h743(String... args) {
        String[] all = Arrays.copyOf(args, args.length + 4);
        all[args.length] = "--sim";
        all[args.length + 1] = "stm32h743";
        all[args.length + 2] = "--sim-time";
        all[args.length + 3] = "virtual";
        return CliRunner.run(all);
    }

    @Test
    void anImageLargerThanTheNamedPartIsRefusedBeforeAnythingIsWritten() throws Exception {
        Path big = image(256 * 1024);
        CliRunner die = h743("flash", big.toString());
        assertEquals(0, die.exitCode(), die.err());
        assertFalse(die.err().contains("warning"), "the die question is no warning: " + die.err());

        CliRunner h750 = h743("flash", big.toString(), "--part", "stm32h750xb");
        assertEquals(1, h750.exitCode(), h750.err());
        assertTrue(h750.err().contains("0x08020000") && h750.err().contains("outside"), h750.err());
        assertFalse(h750.out().contains("Erased"), "nothing erased or written: " + h750.out());

        CliRunner fits = h743("flash", image(128 * 1024).toString(), "--part", "STM32H750xB");
        assertEquals(0, fits.exitCode(), fits.err());
    }

    @Test
    void aDualBankPartKeepsItsSecondBank() throws Exception {
        Path app = image(4096);
        CliRunner bank2 = h743("flash", app + "@0x08100000", "--part", "H743xG");
        assertEquals(0, bank2.exitCode(), bank2.err());
        CliRunner hole = h743("flash", app + "@0x08080000", "--part", "H743xG");
        assertEquals(1, hole.exitCode(), "0x08080000 is beyond bank 1 of a 1 MiB part: " + hole.err());
    }

    @Test
    void anUnknownPartIsAUsageErrorListingTheKnownOnes() throws Exception {
        CliRunner r = h743("flash", image(1024).toString(), "--part", "STM32H753xI");
        assertEquals(2, r.exitCode(), r.err());
        assertTrue(r.err().contains("STM32H750xB") && r.err().contains("STM32H742xG/H743xG"), r.err());
    }
}
