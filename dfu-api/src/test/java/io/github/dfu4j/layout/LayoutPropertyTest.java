package io.github.dfu4j.layout;

import io.github.dfu4j.testing.Fuzz;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Seeded properties of the layout parser: generated layouts written in the many spellings ROMs use
 * parse back to the same model; the canonical format round-trips; mangled strings either parse
 * (and then re-format consistently) or throw {@link LayoutFormatException}, never anything else.
 * Budget: {@code dfu4j.fuzz.iterations} per property, spread over 10 batches.
 */
class LayoutPropertyTest {
    private static final int BATCHES = 10;

    static Stream<Arguments> roundTrip() {
        return Fuzz.batches("layout.roundTrip", BATCHES);
    }

    static Stream<Arguments> garbage() {
        return Fuzz.batches("layout.garbage", BATCHES);
    }

    @ParameterizedTest(name = "batch {0}")
    @MethodSource("roundTrip")
    void anySpellingOfALayoutParsesToTheSameModel(int batch, long seed) {
        Fuzz.run(batch, seed, Fuzz.iterations(BATCHES * 2), rnd -> {
            MemoryLayout model = randomLayout(rnd);
            String text = render(model, rnd);
            assertEquals(model, MemoryLayout.parse(text), text);
            assertEquals(model, MemoryLayout.parse(model.format()), model.format());
        });
    }

    @ParameterizedTest(name = "batch {0}")
    @MethodSource("garbage")
    void mangledStringsOnlyEverThrowTheTypedException(int batch, long seed) {
        Fuzz.run(batch, seed, Fuzz.iterations(BATCHES), rnd -> {
            String text = rnd.nextInt(8) == 0 ? junk(rnd) : mangle(render(randomLayout(rnd), rnd), rnd);
            try {
                MemoryLayout parsed = MemoryLayout.parse(text);
                assertEquals(parsed, MemoryLayout.parse(parsed.format()), text);
            } catch (LayoutFormatException e) {
                if (e.offset() < 0 || e.offset() > text.length()) {
                    throw new AssertionError("offset " + e.offset() + " outside the string: " + text, e);
                }
            }
        });
    }

    static MemoryLayout randomLayout(SplittableRandom rnd) {
        StringBuilder name = new StringBuilder();
        String alphabet = "Internal Flash OTPMemory@-_ 0123456789";
        for (int i = rnd.nextInt(18); i > 0; i--) {
            name.append(alphabet.charAt(rnd.nextInt(alphabet.length())));
        }
        int zones = 1 + rnd.nextInt(4);
        List<List<MemoryRegion>> perZone = new ArrayList<>();
        long address = rnd.nextLong(0x1000_0000L);
        for (int z = 0; z < zones && address < 0xF000_0000L; z++) {
            List<MemoryRegion> zone = new ArrayList<>();
            int entries = 1 + rnd.nextInt(4);
            for (int e = 0; e < entries; e++) {
                long size = sectorSize(rnd);
                int count = rnd.nextInt(10) == 0 ? 1 + rnd.nextInt(20000) : 1 + rnd.nextInt(16);
                long room = (1L << 32) - address;
                if (size * count > room) {
                    count = (int) Math.min(count, room / size);
                    if (count == 0) {
                        break;
                    }
                }
                zone.add(new MemoryRegion(address, count, size, SectorAccess.fromBits(1 + rnd.nextInt(7))));
                address += size * count;
            }
            if (zone.isEmpty()) {
                break;
            }
            perZone.add(zone);
            long gap = 1 + rnd.nextLong(0x0100_0000L);
            if (address + gap >= (1L << 32)) {
                break;
            }
            address += gap;
        }
        Collections.shuffle(perZone, new java.util.Random(rnd.nextLong()));
        List<MemoryRegion> regions = new ArrayList<>();
        perZone.forEach(regions::addAll);
        return new MemoryLayout(name.toString(), regions);
    }

    private static long sectorSize(SplittableRandom rnd) {
        return switch (rnd.nextInt(4)) {
            case 0 -> 1 + rnd.nextInt(4096);
            case 1, 2 -> 1024L * (1 + rnd.nextInt(256));
            default -> (1L << 20) * (1 + rnd.nextInt(4));
        };
    }

    /** Writes the layout the way some ROM or tool might: padding, spacing, multiplier choice vary. */
    static String render(MemoryLayout l, SplittableRandom rnd) {
        StringBuilder sb = new StringBuilder("@").append(l.name());
        long expected = -1;
        for (MemoryRegion r : l.regions()) {
            if (r.start() != expected) {
                // blanks before the first '/' would belong to the name
                sb.append(expected < 0 ? "" : spaces(rnd, 1)).append('/').append(spaces(rnd, 1)).append(rnd.nextBoolean() ? "0x" : "0X");
                String hex = Long.toHexString(r.start());
                hex = rnd.nextBoolean() ? hex.toUpperCase() : hex;
                sb.append(rnd.nextBoolean() ? "0".repeat(8 - hex.length()) + hex : hex);
                sb.append(spaces(rnd, 1)).append('/');
            } else {
                sb.append(spaces(rnd, 1)).append(',');
            }
            sb.append(spaces(rnd, 1)).append(pad(r.count(), rnd)).append(spaces(rnd, 1)).append('*').append(spaces(rnd, 1));
            long size = r.sectorSize();
            int choice = rnd.nextInt(3);
            String amount;
            if (size % (1 << 20) == 0 && choice == 0) {
                amount = pad(size >> 20, rnd) + spaces(rnd, 1) + "M";
            } else if (size % 1024 == 0 && choice <= 1) {
                amount = pad(size >> 10, rnd) + spaces(rnd, 1) + "K";
            } else {
                amount = pad(size, rnd) + switch (rnd.nextInt(3)) {
                    case 0 -> " ";
                    case 1 -> "B";
                    default -> "";
                };
            }
            sb.append(amount).append(spaces(rnd, 1)).append(r.access().typeLetter());
            expected = r.end();
        }
        return sb.append(rnd.nextInt(4) == 0 ? "  " : "").toString();
    }

    private static String pad(long n, SplittableRandom rnd) {
        return "0".repeat(rnd.nextInt(4) == 0 ? rnd.nextInt(3) : 0) + n;
    }

    private static String spaces(SplittableRandom rnd, int max) {
        return rnd.nextInt(6) == 0 ? " ".repeat(1 + rnd.nextInt(Math.max(1, max))) : "";
    }

    private static String mangle(String s, SplittableRandom rnd) {
        StringBuilder sb = new StringBuilder(s);
        String pool = "@/0xX*,KMBgae 9\0\uFFFF-+.";
        for (int n = 1 + rnd.nextInt(4); n > 0 && sb.length() > 0; n--) {
            int at = rnd.nextInt(sb.length());
            switch (rnd.nextInt(4)) {
                case 0 -> sb.deleteCharAt(at);
                case 1 -> sb.insert(at, pool.charAt(rnd.nextInt(pool.length())));
                case 2 -> sb.setCharAt(at, pool.charAt(rnd.nextInt(pool.length())));
                default -> sb.insert(at, "9".repeat(1 + rnd.nextInt(12)));
            }
        }
        return sb.toString();
    }

    private static String junk(SplittableRandom rnd) {
        StringBuilder sb = new StringBuilder();
        for (int i = rnd.nextInt(40); i > 0; i--) {
            sb.append((char) (rnd.nextInt(5) == 0 ? rnd.nextInt(0x10000) : 0x20 + rnd.nextInt(0x60)));
        }
        return sb.toString();
    }
}
