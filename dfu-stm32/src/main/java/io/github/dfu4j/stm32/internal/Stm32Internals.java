package io.github.dfu4j.stm32.internal;

import io.github.dfu4j.sim.SimulatedDevice;
import java.util.Objects;
import java.util.Optional;

/**
 * The table rows behind exported objects, for users of this unexported package on the class path (the
 * CLI, benchmarks, tests). Exported signatures do not name {@link ChipProfile} or {@link MbootBoard},
 * so an embedder on the module path never meets them.
 */
public final class Stm32Internals {
    /** How this class reads a simulated device's rows; {@link SimulatedDevice} registers it when initialised. */
    public interface SimAccess {
        /** The chip row of a simulated device. */
        ChipProfile chip(SimulatedDevice device);

        /** The mboot board row, for mboot personalities. */
        Optional<MbootBoard> mbootBoard(SimulatedDevice device);
    }

    private static volatile SimAccess sim;

    private Stm32Internals() {
    }

    /** Called once by {@link SimulatedDevice}'s static initialiser. */
    public static void registerSimAccess(SimAccess access) {
        sim = Objects.requireNonNull(access, "access");
    }

    /** The chip profile of a simulated device. */
    public static ChipProfile chipOf(SimulatedDevice device) {
        return sim.chip(Objects.requireNonNull(device, "device"));
    }

    /** The mboot board of a simulated device, for mboot personalities. */
    public static Optional<MbootBoard> mbootBoardOf(SimulatedDevice device) {
        return sim.mbootBoard(Objects.requireNonNull(device, "device"));
    }
}
