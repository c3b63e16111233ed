package io.github.dfu4j.stm32.internal;

import io.github.dfu4j.sim.SimulatedDevice;
import io.github.dfu4j.stm32.Identification;
import io.github.dfu4j.stm32.Stm32DeviceProfile;
import java.util.Objects;
import java.util.Optional;

/**
 * The table rows behind exported objects, for users of this unexported package on the class path (the
 * CLI, benchmarks, tests). Exported signatures do not name {@link ChipProfile} or {@link MbootBoard}
 * (exported records carry their ids: {@link Stm32DeviceProfile#chipId()}, {@link Identification#boardId()}),
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

    /** The chip row a profile was built from ({@link Stm32DeviceProfile#chipId()}). */
    public static Optional<ChipProfile> chipOf(Stm32DeviceProfile profile) {
        return profile.chipId().flatMap(Stm32Profiles::byId);
    }

    /** The mboot board row a profile was built from ({@link Stm32DeviceProfile#boardId()}). */
    public static Optional<MbootBoard> boardOf(Stm32DeviceProfile profile) {
        return profile.boardId().flatMap(Stm32Profiles::mbootBoard);
    }

    /** The chip row of an identified line ({@link Identification#chipId()}). */
    public static Optional<ChipProfile> chipOf(Identification id) {
        return id.chipId().flatMap(Stm32Profiles::byId);
    }

    /** The mboot board row of an identified board ({@link Identification#boardId()}). */
    public static Optional<MbootBoard> boardOf(Identification id) {
        return id.boardId().flatMap(Stm32Profiles::mbootBoard);
    }
}
