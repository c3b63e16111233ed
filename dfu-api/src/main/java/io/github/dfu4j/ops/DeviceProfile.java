package io.github.dfu4j.ops;

import io.github.dfu4j.dfu.DfuException;
import io.github.dfu4j.dfu.DfuQuirks;
import io.github.dfu4j.layout.MemoryLayout;
import java.util.List;
import java.util.OptionalLong;

/**
 * What dfu4j knows about a kind of device beyond what its descriptors say: how its bootloader uses the
 * leave address, its protocol quirks as data, its flash programming unit, and corrections to the
 * memory layouts it reports (mboot over-claims flash on STM32F722). dfu-stm32 provides profiles per
 * chip and bootloader, found through {@link DeviceProfileProvider} ({@link #forTransport}); {@link #generic()}
 * suits an unknown DfuSe device.
 *
 * <pre>{@code
 * DeviceProfile board = DeviceProfile.of("my board", LeaveMode.VECTOR_TABLE,
 *         DfuQuirks.builder().eraseBudget(Duration.ofSeconds(30)).build());
 * try (DfuDevice device = DfuDevice.open(transport, board)) { ... }
 * }</pre>
 */
public interface DeviceProfile {

    /** A short name for logs and results, e.g. "generic" or "STM32H743 ROM rev V". */
    String name();

    /** How the bootloader uses the leave address. */
    LeaveMode leaveMode();

    /** Protocol behaviour: budgets, retries, quirks. */
    DfuQuirks quirks();

    /**
     * The flash programming unit in bytes (a power of two); write runs in erased flash are padded with
     * 0xFF to a multiple of it. 1 = no padding.
     */
    default int writeAlignment() {
        return 1;
    }

    /**
     * Where the device's application flash starts when its layouts do not say (no layout, or to pick the
     * internal flash among several alternate settings): the leave address of last resort and the layout
     * preferred for the application's vector table. Empty by default: the first writable region of the
     * layouts is used, and without layouts a leave that needs the address fails with a
     * {@link io.github.dfu4j.dfu.DfuException} of kind {@code LEAVE_ADDRESS}. The STM32 profiles return 0x08000000.
     */
    default OptionalLong defaultFlashStart() {
        return OptionalLong.empty();
    }

    /** The layout to use for an alternate setting given what the device reported. */
    default MemoryLayout correctLayout(int altSetting, MemoryLayout reported) {
        return reported;
    }

    /**
     * Notes about a download's writes that only the profile can give, e.g. that the image writes where a
     * smaller part of the same die has no flash although the device reports it (nothing sent over USB
     * tells the parts apart). {@code blocks} are the address ranges of the data blocks the plan sends
     * (blank blocks in erased flash are not sent), in order. The messages end up in
     * {@link FlashResult#notes()}. Nothing by default.
     */
    default List<String> writeNotes(List<MemoryRange> blocks) {
        return List.of();
    }

    /**
     * The profile's own rules for the write gate: findings about an operation's writes, erases and
     * unlocks, called before anything is sent. dfu-stm32 decodes option-byte writes here and applies the
     * read-protection and boot-lock interlocks (a finding of kind {@link WriteFinding.Kind#OPTION_BYTES}
     * tells the gate the option bytes were reviewed; without one, an option-byte write needs
     * {@link Confirmation#UNVERIFIED_LAYOUT}). {@code reader} reads device memory, e.g. the current
     * option bytes. Nothing by default.
     *
     * @throws DfuException when reading what the review needs fails
     */
    default List<WriteFinding> reviewWrites(WriteRequest request, WriteRequest.Reader reader) throws DfuException {
        return List.of();
    }

    /**
     * The profile of the first {@link DeviceProfileProvider} on the module path or class path that knows
     * the device behind {@code transport}; {@link #generic()} when none does.
     */
    static DeviceProfile forTransport(io.github.dfu4j.transport.DfuTransport transport) {
        java.util.Objects.requireNonNull(transport, "transport");
        for (DeviceProfileProvider provider : ProfileProviders.all()) {
            java.util.Optional<DeviceProfile> p = provider.profileFor(transport);
            if (p.isPresent()) {
                return p.get();
            }
        }
        return generic();
    }

    /** Defaults for a device nothing is known about: vector-table leave, tolerant quirks. */
    static DeviceProfile generic() {
        return BasicDeviceProfile.GENERIC;
    }

    /** A profile made of plain values. */
    static DeviceProfile of(String name, LeaveMode leaveMode, DfuQuirks quirks) {
        return new BasicDeviceProfile(name, leaveMode, quirks, 1);
    }
}
