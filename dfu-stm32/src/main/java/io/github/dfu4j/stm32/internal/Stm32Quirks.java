package io.github.dfu4j.stm32.internal;

import io.github.dfu4j.stm32.Evidence;

import io.github.dfu4j.stm32.RomQuirk;
import io.github.dfu4j.stm32.Stm32DeviceProfile;
import io.github.dfu4j.stm32.Identification;
import io.github.dfu4j.ops.Remedy;
import io.github.dfu4j.dfu.DfuQuirks;
import io.github.dfu4j.transport.DeviceInfo;
import java.time.Duration;
import java.util.Collection;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The quirks table: for every {@link RomQuirk}, where it occurs and what dfu4j changes for it. For
 * lines dfu4j has a {@link ChipProfile} for, the scope is taken from the profiles that list the quirk
 * (their USB identity and device ID), so profile and table cannot disagree. Lines without a profile
 * (STM32G4, L4, C0, U5, C5) are reached through their DBGMCU device ID, which descriptors do not carry;
 * every device ID a rule names is a row of the one registry, {@link Stm32Profiles#deviceIds()}:
 * a caller that knows it passes it to {@link Identification#identify(io.github.dfu4j.transport.DfuTransport, OptionalInt)};
 * otherwise an unlisted ST ROM gets {@link Stm32DeviceProfile#unknownStRom}, which already tolerates
 * all of them.
 *
 * <pre>{@code
 * for (QuirkRule r : Stm32Quirks.table()) System.out.println(r.quirk() + ": " + r.scope().describe());
 * DfuQuirks q = Stm32Quirks.apply(DfuQuirks.defaults(), EnumSet.of(RomQuirk.STALLS_GETSTATUS_WHILE_ERASING));
 * }</pre>
 */
public final class Stm32Quirks {
    private Stm32Quirks() {
    }

    private static final int ST_VID = 0x0483;
    private static final int DFU_PID = 0xDF11;

    /** dfu-util's override for the F405 mass erase ("STM32F405 lies about mass erase timeout"). */
    public static final Duration MASS_ERASE_MINIMUM = Duration.ofSeconds(35);

    /** Where the H74x bank-2 erase wedge starts: the STM32H743 table's bank-2 base (0x08100000). */
    public static final long BANK2_WEDGE_FROM = Stm32Profiles.STM32H743.defaultFlashMap().bankBase(2).orElseThrow();

    /** The quirk table's fallback for the H74x bank-2 erase wedge, also appended to its timeout errors. */
    public static final String BANK2_WEDGE_FALLBACK = Remedy.of(Remedy.Kind.MASS_ERASE_INSTEAD).describe()
            + "; dfu-util's :force:mass-erase is reported to work on rev V";

    private static final List<QuirkRule> TABLE = List.of(
            new QuirkRule(RomQuirk.BANK2_ERASE_WEDGE,
                    "erasing a bank-2 sector (>= 0x08100000) leaves the ROM in dfuDNBUSY past its bwPollTimeout, forever;"
                            + " the erase itself completes",
                    profiled(RomQuirk.BANK2_ERASE_WEDGE,
                            "rev V silicon with bootloader 0x90; rev Y (0xD2) is not affected, but descriptors cannot tell"
                                    + " the revision apart, so every H742/H743/H753/H750 gets the recovery"),
                    List.of(new QuirkEffect.WedgedEraseRecovery(BANK2_WEDGE_FROM,
                            "STM32H74x bank-2 erase wedge (RomQuirk.BANK2_ERASE_WEDGE); " + BANK2_WEDGE_FALLBACK)),
                    "when a sector erase at or above the bank-2 base is still dfuDNBUSY at its budget (5 s on H743), send"
                            + " CLRSTATUS -> (errUNKNOWN, dfuERROR), CLRSTATUS -> (OK, dfuIDLE) as STM32CubeProgrammer"
                            + " does, then read the sector back: only a blank sector counts as erased (whether or not"
                            + " verify is on); bank-1 erases and mass erases never get the recovery; a bank-2 erase"
                            + " that times out or cannot be recovered names the fallback in its error",
                    BANK2_WEDGE_FALLBACK,
                    Evidence.OBSERVED, "betaflight-configurator PR 1861, PR 5348, issue 1972; ST forum (docs/reference/dfu.md §2.7 items 3-4)"),
            new QuirkRule(RomQuirk.MASS_ERASE_POLL_UNDERSTATED,
                    "the mass erase reports bwPollTimeout 100 ms but takes up to ~32 s (datasheet maximum)",
                    profiled(RomQuirk.MASS_ERASE_POLL_UNDERSTATED,
                            "seen on the F405; F42x/F446 share the F4 ROM family [U]"),
                    List.of(new QuirkEffect.MassEraseBudgetAtLeast(MASS_ERASE_MINIMUM)),
                    "the mass-erase budget is max(35 s, 1.25 x the table's maximum) whatever the device reports; GETSTATUS"
                            + " gets the remaining budget as its USB timeout because these ROMs NAK it while erasing",
                    "", Evidence.VERIFIED, "dfu-util dfuse.c (docs/reference/dfu.md §2.7 item 6, docs/reference/stm32.md §3.3)"),
            new QuirkRule(RomQuirk.STALLS_GETSTATUS_WHILE_ERASING,
                    "GETSTATUS is stalled (USB STALL, no DFU state change) while a page erase runs",
                    new QuirkScope(ST_VID, DFU_PID, Set.of(), Set.of(), Set.of(0x415, 0x435, 0x461, 0x462, 0x464, 0x470, 0x471), Set.of(),
                            "device IDs [U]; dfu-util's fix names the STM32L4 family"),
                    List.of(new QuirkEffect.StatusStallsWhileBusy()),
                    "a stalled GETSTATUS during an operation means \"still busy\": retried after the last bwPollTimeout"
                            + " until the operation's deadline instead of failing after three stalls",
                    "", Evidence.VERIFIED, "dfu-util commit c15ee60, ticket 40 (docs/reference/host-tools.md §9.1)"),
            new QuirkRule(RomQuirk.SKIPS_DNBUSY,
                    "the first GETSTATUS after a command already reports dfuDNLOAD-IDLE (no dfuDNBUSY)",
                    new QuirkScope(ST_VID, DFU_PID, Set.of(), Set.of(), Set.of(0x481), Set.of(), "seen on an STM32U5A9; device ID [U]"),
                    List.of(new QuirkEffect.DeviceMaySkipBusy()),
                    "dfuDNLOAD-IDLE on the first GETSTATUS counts as done (dfu-api's default; pydfu-style strict hosts fail)",
                    "", Evidence.VERIFIED, "dfu-util commit be49612, ticket 145 (docs/reference/host-tools.md §9.1)"),
            new QuirkRule(RomQuirk.LEAVE_NEEDS_SET_ADDRESS,
                    "the leave request (zero-length DNLOAD) ends in dfuERROR unless a SET_ADDRESS came right before it",
                    new QuirkScope(ST_VID, DFU_PID, Set.of(), Set.of(), Set.of(0x493), Set.of(), "device ID [U]"),
                    List.of(new QuirkEffect.SetAddressBeforeLeave()),
                    "leave always sends SET_ADDRESS: the jump address, or the flash start when the caller gave none",
                    "", Evidence.OBSERVED, "IntergatedCircuits/LibUsbDfu issue 13 (docs/reference/host-tools.md §9.6)"),
            new QuirkRule(RomQuirk.CLRSTATUS_STALLS_OUTSIDE_ERROR,
                    "CLRSTATUS outside dfuERROR is stalled; the ROM also never answers a standalone GET_DESCRIPTOR for"
                            + " the DFU functional descriptor and has no option-bytes alt setting",
                    new QuirkScope(ST_VID, DFU_PID, Set.of(), Set.of(), Set.of(), Set.of(),
                            "STM32C5; its device ID is not known here, so only a forced quirk selects it"),
                    List.of(new QuirkEffect.NeverClearStatusOutsideError()),
                    "CLRSTATUS is only sent in dfuERROR (dfu-api's default), which also rules out the H7 wedge recovery;"
                            + " the functional descriptor must come from the configuration descriptor (dfu-libusb)",
                    "", Evidence.OBSERVED, "betaflight-configurator PR 5300 (docs/reference/host-tools.md §9.4, docs/reference/dfu.md §2.7 item 2)"),
            new QuirkRule(RomQuirk.LARGE_BLOCKS_STALL,
                    "wTransferSize is 1024 and 2048-byte DNLOADs stall (errSTALLEDPKT); hosts that hard-code 2048 fail",
                    new QuirkScope(ST_VID, DFU_PID, Set.of(), Set.of(), Set.of(0x468, 0x469, 0x479), Set.of(), "seen on an STM32G431; device IDs [U]"),
                    List.of(new QuirkEffect.MaxTransferSize(1024)),
                    "blocks never exceed wTransferSize (dfu4j always honours it); with the quirk they are also capped at"
                            + " 1024 bytes in case the descriptor claims more",
                    "", Evidence.OBSERVED, "siliconwitchery/web-stm32-updater issue 3 (docs/reference/dfu.md §2.2, docs/reference/stm32.md §6)"),
            new QuirkRule(RomQuirk.LEAVES_BEFORE_MANIFEST_STATUS,
                    "the ROM jumps (resets) before answering the GETSTATUS after the leave request",
                    profiled(RomQuirk.LEAVES_BEFORE_MANIFEST_STATUS, ""),
                    List.of(new QuirkEffect.Handled("a device that is gone after the leave request (the transport says so, at"
                            + " the final GETSTATUS or at one more) has left (LeaveResult DISCONNECTED), not an error")),
                    "reported as LeaveResult.Outcome.DISCONNECTED (dfu-util prints \"Error during download get_status\" and exits 74)",
                    "", Evidence.OBSERVED, "nuttx weact-stm32h750, m64-misc H7A3 logs (docs/reference/dfu.md §2.5)"),
            new QuirkRule(RomQuirk.CLRSTATUS_OUTSIDE_ERROR_SETS_ERR_UNKNOWN,
                    "CLRSTATUS outside dfuERROR is acknowledged and moves the ROM to (errUNKNOWN, dfuERROR)",
                    profiled(RomQuirk.CLRSTATUS_OUTSIDE_ERROR_SETS_ERR_UNKNOWN, ""),
                    List.of(new QuirkEffect.Handled("recovery never sends CLRSTATUS outside dfuERROR; only the H7 wedge"
                            + " recovery uses this behaviour on purpose")),
                    "CLRSTATUS only in dfuERROR, except the deliberate CLRSTATUS pair of the H7 wedge recovery",
                    "", Evidence.VERIFIED, "ST DfuSe middleware DFU_ClearStatus (docs/reference/dfu.md §2.7 item 2)"),
            new QuirkRule(RomQuirk.EMPTY_CHECK_BOOT,
                    "the boot logic enters the ROM bootloader when the first flash word is erased",
                    profiled(RomQuirk.EMPTY_CHECK_BOOT, ""),
                    List.of(new QuirkEffect.Handled("nothing to change in the protocol")),
                    "the vector-table sector is erased first and written last, so an interrupted flash boots the ROM again;"
                            + " an F09x may need a power cycle after the first flash (field report)",
                    "power-cycle the board", Evidence.SECONDARY, "ST KB \"empty check\", ST forum F09x (docs/reference/stm32.md §3.3)"));

    private static final Map<RomQuirk, QuirkRule> BY_QUIRK = index();

    private static Map<RomQuirk, QuirkRule> index() {
        Map<RomQuirk, QuirkRule> m = new EnumMap<>(RomQuirk.class);
        for (QuirkRule r : TABLE) {
            if (m.put(r.quirk(), r) != null) {
                throw new IllegalStateException("two rules for " + r.quirk());
            }
        }
        if (m.size() != RomQuirk.values().length) {
            Set<RomQuirk> missing = EnumSet.allOf(RomQuirk.class);
            missing.removeAll(m.keySet());
            throw new IllegalStateException("quirks without a rule: " + missing);
        }
        return m;
    }

    /** A scope built from the chip profiles that list {@code quirk}. */
    private static QuirkScope profiled(RomQuirk quirk, String note) {
        Set<String> reported = new java.util.TreeSet<>();
        Set<Integer> ids = new HashSet<>();
        Set<String> profiles = new HashSet<>();
        for (ChipProfile c : Stm32Profiles.chips()) {
            if (c.has(quirk)) {
                // concatenated, not String.format: this table is built in every process that identifies a
                // device, before its first request, and the first String.format loads the Formatter (issue 11)
                String bcd = Integer.toHexString(c.rom().usb().bcdDevice());
                reported.add("bcdDevice 0x" + "0000".substring(Math.min(4, bcd.length())) + bcd + " \"" + c.rom().usb().product() + "\"");
                ids.add(c.deviceId());
                profiles.add(c.id());
            }
        }
        // bcdDevice and product are shown, not required: the profile match already stands for them and
        // older bootloaders of the same line report other bcdDevice values (F4: 0x2100)
        String shown = "identified by dfu4j's profiles " + new java.util.TreeSet<>(profiles) + ", which report "
                + String.join(" or ", reported);
        return new QuirkScope(ST_VID, DFU_PID, Set.of(), Set.of(), ids, profiles, note.isEmpty() ? shown : shown + "; " + note);
    }

    /** Every rule, one per {@link RomQuirk}, in documentation order. */
    public static List<QuirkRule> table() {
        return TABLE;
    }

    /** The rule of a quirk. */
    public static QuirkRule rule(RomQuirk quirk) {
        return BY_QUIRK.get(quirk);
    }

    /**
     * The quirks that apply to a device.
     *
     * @param chip     the chip profile dfu4j identified, if any
     * @param deviceId the DBGMCU device ID, when the caller knows it
     */
    public static Set<RomQuirk> applicable(DeviceInfo device, Optional<ChipProfile> chip, OptionalInt deviceId) {
        Set<RomQuirk> out = EnumSet.noneOf(RomQuirk.class);
        Optional<String> profileId = chip.map(ChipProfile::id);
        for (QuirkRule r : TABLE) {
            if (r.scope().matches(device, profileId, deviceId)) {
                out.add(r.quirk());
            }
        }
        return out;
    }

    /** {@code base} with the effects of every quirk's rule applied (CLRSTATUS restrictions last). */
    public static DfuQuirks apply(DfuQuirks base, Collection<RomQuirk> quirks) {
        DfuQuirks current = base;
        List<QuirkEffect> last = new java.util.ArrayList<>();
        for (QuirkRule r : TABLE) {
            if (!quirks.contains(r.quirk())) {
                continue;
            }
            for (QuirkEffect e : r.effects()) {
                if (e instanceof QuirkEffect.NeverClearStatusOutsideError) {
                    last.add(e);
                } else {
                    current = applyOne(current, e);
                }
            }
        }
        for (QuirkEffect e : last) {
            current = applyOne(current, e);
        }
        return current;
    }

    private static DfuQuirks applyOne(DfuQuirks current, QuirkEffect e) {
        DfuQuirks.Builder b = current.toBuilder();
        e.apply(b, current);
        return b.build();
    }
}
