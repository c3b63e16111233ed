package io.github.dfu4j.sim;

import io.github.dfu4j.formats.FirmwareFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * The registry of simulated bootloaders, by the id the CLI takes ({@code dfu flash --sim stm32f405}).
 *
 * <pre>{@code
 * for (SimulatedDevices.Entry e : SimulatedDevices.ids()) System.out.println(e.id() + "  " + e.description());
 * SimulatedDevice dev = SimulatedDevices.create("stm32h743", SimOptions.defaults().withRealTime(1.0));
 * SimulatedDevice again = SimulatedDevices.createOrLoad("stm32h743", Path.of("board.sim"), SimOptions.defaults());
 * }</pre>
 */
public final class SimulatedDevices {
    private SimulatedDevices() {
    }

    /**
     * One available personality.
     *
     * @param id          what {@link #create} takes
     * @param description one line for a listing
     */
    public record Entry(String id, String description) {
    }

    /** Every personality: ST ROMs from F0 to H7, then the mboot boards, then the plain DFU 1.1 bootloaders. */
    public static List<Entry> ids() {
        return Personality.ALL.stream().map(p -> new Entry(p.id(), p.description())).toList();
    }

    /**
     * A fresh device: erased flash (plus {@link SimOptions#initialMemory()}), factory option bytes, in DFU mode.
     *
     * @throws IllegalArgumentException for an unknown id (the message lists the known ones) or bad options
     */
    public static SimulatedDevice create(String id, SimOptions options) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(options, "options");
        Personality p = Personality.byId(id).orElseThrow(() -> new IllegalArgumentException(
                "unknown simulated device '" + id + "'; known: " + ids().stream().map(Entry::id).toList()));
        SimClock clock = options.realTime() ? SimClock.realTime(options.timeScale()) : SimClock.virtual();
        SimBootloader model = p.isMboot() ? MbootBootloader.create(p, options, clock)
                : p.isPlainDfu() ? PlainDfuBootloader.create(p, options, clock) : StRomBootloader.create(p, options, clock);
        SimulatedDevice device = new SimulatedDevice(model);
        device.writeMemory(options.initialMemory().segments());
        return device;
    }

    /**
     * A fresh device with {@link SimOptions#defaults()}: virtual clock, erased flash, factory option bytes, in DFU mode.
     *
     * <pre>{@code
     * SimulatedDevice dev = SimulatedDevices.create("stm32f405");
     * try (DfuTransport t = dev.connect()) { ... }
     * }</pre>
     *
     * @param id a personality id from {@link #ids()}, e.g. {@code "stm32f405"}
     * @throws IllegalArgumentException for an unknown id (the message lists the known ones)
     * @throws NullPointerException if {@code id} is null
     */
    public static SimulatedDevice create(String id) {
        return create(id, SimOptions.defaults());
    }

    /**
     * A device restored from a state file written by {@link SimulatedDevice#save}. {@code options}
     * apply as for {@link #create} (the file's memories replace {@code initialMemory}).
     *
     * @throws FirmwareFormatException when the file is not a valid state file (names the file and offset)
     */
    public static SimulatedDevice load(Path file, SimOptions options) throws IOException {
        return StateFile.load(file, options);
    }

    /**
     * Loads {@code file} if it exists (it must be for {@code id}), else creates a fresh device: what
     * the CLI's {@code --sim ID --sim-state FILE} needs.
     */
    public static SimulatedDevice createOrLoad(String id, Path file, SimOptions options) throws IOException {
        if (Files.exists(file)) {
            SimulatedDevice d = load(file, options);
            if (!d.id().equals(id)) {
                throw StateFile.stateError(file.toString(), 0, "state file is for '" + d.id() + "', not '" + id + "'");
            }
            return d;
        }
        return create(id, options);
    }
}
