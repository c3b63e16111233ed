package io.github.dfu4j.record;

import io.github.dfu4j.ops.DfuDevice;
import io.github.dfu4j.ops.FlashOptions;
import io.github.dfu4j.ops.ProgressListener;
import io.github.dfu4j.testing.FakeDfuseDevice;
import io.github.dfu4j.testing.Fuzz;
import io.github.dfu4j.testing.Images;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.StringWriter;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Mangled recordings either parse or throw {@link RecordingFormatException} with a line inside the
 * file, nothing else. Budget: {@code dfu4j.fuzz.iterations / 100} (each case parses a whole session).
 */
class RecordingParserPropertyTest {
    private static final String RECORDING = recording();

    private static String recording() {
        StringWriter out = new StringWriter();
        try (DfuDevice d = DfuDevice.open(RecordingTransport.wrap(FakeDfuseDevice.stm32f4(), out))) {
            d.download(Images.image(0x08000000L, 3000, 1), FlashOptions.defaults(), ProgressListener.NONE);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        return out.toString();
    }

    static Stream<Arguments> batches() {
        return Fuzz.batches("recording.garbage", 5);
    }

    @ParameterizedTest(name = "batch {0}")
    @MethodSource("batches")
    void mangledRecordingsOnlyThrowTheTypedException(int batch, long seed) {
        int lines = (int) RECORDING.lines().count();
        Fuzz.run(batch, seed, Fuzz.iterations(100 * 5), rnd -> {
            StringBuilder sb = new StringBuilder(RECORDING);
            String pool = "\"\\ -+>0x9aZ\n=#";
            for (int n = 1 + rnd.nextInt(6); n > 0; n--) {
                int at = rnd.nextInt(sb.length());
                switch (rnd.nextInt(3)) {
                    case 0 -> sb.deleteCharAt(at);
                    case 1 -> sb.insert(at, pool.charAt(rnd.nextInt(pool.length())));
                    default -> sb.setCharAt(at, pool.charAt(rnd.nextInt(pool.length())));
                }
            }
            try {
                ReplayTransport.parse(sb.toString(), "fuzz");
            } catch (RecordingFormatException e) {
                assertTrue(e.line() >= 0 && e.line() <= lines + 20, e.getMessage());
            }
        });
    }
}
