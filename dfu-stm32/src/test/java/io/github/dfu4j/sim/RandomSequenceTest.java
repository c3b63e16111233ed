package io.github.dfu4j.sim;

import io.github.dfu4j.dfu.DfuState;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.github.dfu4j.sim.BusyBehaviour;
import io.github.dfu4j.layout.Sector;
import io.github.dfu4j.transport.TransportException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Seeded property test: random DFU request sequences against the ST ROM personalities.
 * <ul>
 * <li>every observed outcome is allowed by the DFU/DfuSe table (an oracle that tracks the set of
 *     states the device may be in, written from docs/reference, independent of the simulator);</li>
 * <li>memory is only changed where the host erased or wrote: bytes outside every erased sector and
 *     write range keep their initial value, and bytes in never-erased sectors only lose bits (NOR).</li>
 * </ul>
 * Seed: {@code -Ddfu4j.seed=N}; budget: {@code -Ddfu4j.fuzz.iterations} requests in total.
 */
class RandomSequenceTest {
    static final long FLASH = 0x0800_0000L;
    static final int STEPS = 250;
    static final String REPORTS_BUSY = "/report-dnbusy";

    /** Oracle states: the DFU states plus what the table needs to know about pending work. */
    enum O { IDLE, DSYNC_PENDING, DNBUSY_RUNNING, DSYNC_DONE, DNLOAD_IDLE, MANIFEST_SYNC, UPLOAD_IDLE, ERROR, GONE }

    static Stream<Arguments> sequences() {
        long seed = Long.getLong("dfu4j.seed", 0x5EED_D0F4L);
        long budget = Long.getLong("dfu4j.fuzz.iterations", 100_000L);
        // "/report-dnbusy": the same ROM answering dfuDNBUSY while busy instead of NAKing (SimOptions.withBusyBehaviour)
        List<String> ids = List.of("stm32f405", "stm32h743", "stm32f072", "stm32h7a3", "stm32h7a3" + REPORTS_BUSY);
        int perPersonality = (int) Math.max(2, budget / STEPS / ids.size()); // the budget is requests in total
        System.out.println("RandomSequenceTest seed=" + seed + " sequences/personality=" + perPersonality + " x " + STEPS + " requests");
        SplittableRandom r = new SplittableRandom(seed);
        List<Arguments> out = new ArrayList<>();
        for (String id : ids) {
            for (int i = 0; i < perPersonality; i++) {
                out.add(Arguments.of(id, seed, i, r.nextLong()));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} seed={1} #{2}")
    @MethodSource("sequences")
    void randomRequestsFollowTheTableAndKeepMemoryConsistent(String variant, long seed, int index, long caseSeed) throws Exception {
        SplittableRandom r = new SplittableRandom(caseSeed);
        SimOptions options = SimOptions.defaults().withTraceLimit(0);
        String id = variant;
        if (variant.endsWith(REPORTS_BUSY)) {
            id = variant.substring(0, variant.length() - REPORTS_BUSY.length());
            options = options.withBusyBehaviour(BusyBehaviour.REPORT_DNBUSY);
        }
        SimulatedDevice d = SimulatedDevices.create(id, options);
        int xfer = d.chip().rom().transferSize();
        List<Sector> window = window(d);
        List<byte[]> initial = new ArrayList<>();
        for (Sector s : window) {
            byte[] content = TestImages.random(r.nextLong(), windowBytes(s));
            d.writeMemory(s.start(), content);
            initial.add(content);
        }
        boolean reportsBusy = options.busyBehaviour().orElse(d.chip().rom().busy()) == BusyBehaviour.REPORT_DNBUSY;
        Model m = new Model(d, xfer, reportsBusy);
        RawDfu h = new RawDfu(d.connect());
        h.timeout = Duration.ofSeconds(60);
        StringBuilder log = new StringBuilder();
        for (int step = 0; step < STEPS; step++) {
            if (m.states.equals(EnumSet.of(O.GONE))) {
                h = new RawDfu(d.connect());
                h.timeout = Duration.ofSeconds(60);
                m.reconnected();
            }
            Req req = Req.random(r, m, window, xfer, d.chip().defaultFlashMap().end());
            Obs obs = req.send(h);
            log.append(step).append(' ').append(req).append(" -> ").append(obs).append(" from ").append(m.states).append('\n');
            String problem = m.observe(req, obs);
            if (problem != null) {
                throw new AssertionError(variant + " seed " + seed + " #" + index + " step " + step + ": " + problem + "\n" + tail(log));
            }
            if (r.nextInt(4) == 0) {
                h.sleep(r.nextInt(3) == 0 ? 2000 : r.nextInt(120));
            }
        }
        checkMemory(d, window, initial, m);
    }

    private static String tail(StringBuilder log) {
        String[] lines = log.toString().split("\n");
        return String.join("\n", java.util.Arrays.copyOfRange(lines, Math.max(0, lines.length - 25), lines.length));
    }

    /** The sectors the generator aims at, plus one it never aims at. */
    static List<Sector> window(SimulatedDevice d) {
        List<Sector> all = d.chip().defaultFlashMap().sectors();
        List<Sector> w = new ArrayList<>(List.of(all.get(0), all.get(1), all.get(3)));
        d.chip().defaultFlashMap().bankBase(2).flatMap(b -> d.chip().defaultFlashMap().sectorAt(b)).ifPresent(w::add);
        return w;
    }

    static int windowBytes(Sector s) {
        return (int) Math.min(s.size(), 8192);
    }

    private static void checkMemory(SimulatedDevice d, List<Sector> window, List<byte[]> initial, Model m) {
        int unit = d.chip().programming().unitBytes();
        for (int k = 0; k < window.size(); k++) {
            Sector s = window.get(k);
            byte[] now = d.readMemory(s.start(), windowBytes(s));
            byte[] was = initial.get(k);
            boolean erased = m.massErased || m.erasedSectors.contains(s.start());
            boolean[] written = new boolean[now.length];
            for (long[] w : m.writes) {
                long start = Math.max(s.start(), w[0] & ~(long) (unit - 1));
                long end = Math.min(s.start() + now.length, (w[0] + w[1] + unit - 1) & ~(long) (unit - 1));
                for (long a = start; a < end; a++) {
                    written[(int) (a - s.start())] = true;
                }
            }
            for (int i = 0; i < now.length; i++) {
                long a = s.start() + i;
                if (!written[i] && !erased) {
                    assertEquals(was[i], now[i], String.format("byte at 0x%08x changed without erase or write", a));
                } else if (!written[i]) {
                    assertFalse(now[i] != was[i] && now[i] != (byte) 0xFF, String.format("0x%08x is neither kept nor erased", a));
                } else if (!erased) {
                    assertEquals(0, now[i] & ~was[i] & 0xFF, String.format("0x%08x gained a 1 bit without erase", a));
                }
            }
        }
    }

    /** What the host sends. */
    record Req(String kind, int block, byte[] data, int length) {
        static Req random(SplittableRandom r, Model m, List<Sector> window, int xfer, long flashEnd) {
            int k = r.nextInt(100);
            if (k < 28) {
                return new Req("GETSTATUS", 0, null, 6);
            }
            if (k < 33) {
                return new Req("GETSTATE", 0, null, 1);
            }
            if (k < 40) {
                return new Req("CLRSTATUS", 0, null, 0);
            }
            if (k < 46) {
                return new Req("ABORT", 0, null, 0);
            }
            if (k < 48) {
                return new Req("DETACH", 0, null, 0);
            }
            if (k < 58) {
                return new Req("UPLOAD", r.nextInt(10) == 0 ? r.nextInt(2) : 2 + r.nextInt(4),
                        null, r.nextInt(8) == 0 ? xfer + 1 : 1 + r.nextInt(xfer));
            }
            if (k < 60) {
                return new Req("DNLOAD", 0, new byte[0], 0); // leave
            }
            if (k < 72) {
                return new Req("DNLOAD", 0, RawDfu.cmd(0x21, address(r, window, flashEnd)), 5);
            }
            if (k < 78) {
                return new Req("DNLOAD", 0, RawDfu.cmd(0x41, address(r, window, flashEnd)), 5);
            }
            if (k < 79) {
                return new Req("DNLOAD", 0, new byte[] {0x41}, 1);
            }
            if (k < 80) {
                return new Req("DNLOAD", r.nextInt(2), new byte[] {(byte) r.nextInt(256), 1, 2}, 3); // unsupported
            }
            int len = r.nextInt(10) == 0 ? xfer + 1 + r.nextInt(16) : 1 + r.nextInt(r.nextBoolean() ? 64 : xfer);
            return new Req("DNLOAD", 2 + r.nextInt(3), TestImages.random(r.nextLong(), len), len);
        }

        static long address(SplittableRandom r, List<Sector> window, long flashEnd) {
            int k = r.nextInt(10);
            if (k == 0) {
                return new long[] {0x0700_0000L, 0x2000_0000L, flashEnd - 8, flashEnd}[r.nextInt(4)];
            }
            Sector s = window.get(r.nextInt(window.size() - 1)); // never the last (untouched) sector
            int off = r.nextInt(4096);
            return s.start() + (r.nextBoolean() ? off & ~31 : off);
        }

        Obs send(RawDfu h) {
            try {
                return switch (kind) {
                    case "GETSTATUS" -> Obs.reply(h.getStatus().state());
                    case "GETSTATE" -> Obs.reply(h.getState());
                    case "CLRSTATUS" -> { h.clrStatus(); yield Obs.ACK; }
                    case "ABORT" -> { h.abort(); yield Obs.ACK; }
                    case "DETACH" -> { h.detach(); yield Obs.ACK; }
                    case "UPLOAD" -> Obs.data(h.upload(block, length).length);
                    case "DNLOAD" -> { h.dnload(block, data); yield Obs.ACK; }
                    default -> throw new IllegalStateException(kind);
                };
            } catch (TransportException e) {
                return e.isDisconnect() ? Obs.GONE : e.kind() == TransportException.Kind.STALL ? Obs.STALL : new Obs('T', -1, -1);
            }
        }

        boolean isLeave() {
            return kind.equals("DNLOAD") && data.length == 0;
        }

        @Override
        public String toString() {
            return kind + (kind.equals("DNLOAD") || kind.equals("UPLOAD") ? " block " + block + " len " + length
                    + (data != null && block == 0 && data.length > 0 ? " " + java.util.HexFormat.of().formatHex(data) : "") : "");
        }
    }

    /** What the host saw: A ack, D data (with IN length or reply state), S stall, G gone. */
    record Obs(char kind, int replyState, int length) {
        static final Obs ACK = new Obs('A', -1, -1);
        static final Obs STALL = new Obs('S', -1, -1);
        static final Obs GONE = new Obs('G', -1, -1);

        static Obs reply(int state) {
            return new Obs('D', state, -1);
        }

        static Obs data(int length) {
            return new Obs('D', -1, length);
        }

        @Override
        public String toString() {
            return kind + (replyState >= 0 ? " " + DfuState.fromCode(replyState) : "") + (length >= 0 ? " " + length + "B" : "");
        }
    }

    /** The oracle: which states the device may be in, and where it may have erased or written. */
    static final class Model {
        final SimulatedDevice d;
        final int xfer;
        final boolean reportsBusy;
        EnumSet<O> states = EnumSet.of(O.IDLE);
        Set<Long> pointers = new HashSet<>(Set.of(FLASH));
        Req pendingCmd;
        final Set<Long> erasedSectors = new HashSet<>();
        boolean massErased;
        final List<long[]> writes = new ArrayList<>();

        Model(SimulatedDevice d, int xfer, boolean reportsBusy) {
            this.d = d;
            this.xfer = xfer;
            this.reportsBusy = reportsBusy;
        }

        void reconnected() {
            states = EnumSet.of(O.IDLE);
            pointers = new HashSet<>(Set.of(FLASH));
            pendingCmd = null;
        }

        /** The command started by the last dfuDNBUSY reply, for the wedge check. */
        Req running;

        /**
         * The states the device can be in once a started operation has (or has not yet) finished. A NAK
         * ROM is only seen in dfuDNBUSY again when a bank-2 erase wedged (H743 rev V).
         */
        EnumSet<O> afterStart() {
            return reportsBusy || mayWedge(pendingCmd != null ? pendingCmd : running)
                    ? EnumSet.of(O.DNBUSY_RUNNING, O.DSYNC_DONE, O.ERROR) : EnumSet.of(O.DSYNC_DONE, O.ERROR);
        }

        private boolean mayWedge(Req cmd) {
            if (cmd == null || !d.chip().has(io.github.dfu4j.stm32.RomQuirk.BANK2_ERASE_WEDGE) || cmd.block != 0
                    || cmd.data.length != 5 || (cmd.data[0] & 0xFF) != 0x41) {
                return false;
            }
            long a = addr(cmd.data);
            return d.chip().defaultFlashMap().bankBase(2).filter(b2 -> a >= b2).isPresent();
        }

        /** @return null when allowed, else what is wrong */
        String observe(Req req, Obs obs) {
            EnumSet<O> next = EnumSet.noneOf(O.class);
            for (O s : states) {
                EnumSet<O> n = transition(s, req, obs);
                if (n != null) {
                    next.addAll(n);
                }
            }
            if (next.isEmpty()) {
                return "outcome " + obs + " of " + req + " is not allowed in any of " + states;
            }
            // effects the device may have had, for the memory check
            if (req.kind.equals("DNLOAD") && obs.kind == 'A' && !req.isLeave()) {
                pendingCmd = req;
            }
            if (req.kind.equals("GETSTATUS") && obs.kind == 'D' && obs.replyState == DfuState.DFU_DNBUSY.code() && pendingCmd != null) {
                started(pendingCmd);
                running = pendingCmd;
                pendingCmd = null;
            }
            if (!req.kind.equals("GETSTATUS") && !req.kind.equals("GETSTATE")) {
                lastSetAddress = null; // its outcome is only visible on the GETSTATUS right after; now unknown
            }
            if (lastSetAddress != null && req.kind.equals("GETSTATUS") && obs.kind == 'D') {
                if (obs.replyState == DfuState.DFU_DNLOAD_IDLE.code()) {
                    pointers = new HashSet<>(Set.of(lastSetAddress)); // SET_ADDRESS confirmed
                    lastSetAddress = null;
                } else if (obs.replyState == DfuState.DFU_ERROR.code()) {
                    pointers.remove(lastSetAddress); // refused (unless it was already a candidate)
                    pointers.addAll(previousPointers);
                    lastSetAddress = null;
                }
            }
            states = next;
            return null;
        }

        Long lastSetAddress;
        Set<Long> previousPointers = Set.of();

        private void started(Req cmd) {
            byte[] p = cmd.data;
            if (cmd.block == 0 && p.length == 5 && (p[0] & 0xFF) == 0x21) {
                long a = addr(p);
                previousPointers = Set.copyOf(pointers);
                pointers.add(a); // uncertain until the status says
                lastSetAddress = a;
            } else if (cmd.block == 0 && p.length == 5 && (p[0] & 0xFF) == 0x41) {
                d.chip().defaultFlashMap().sectorAt(addr(p)).ifPresent(s -> erasedSectors.add(s.start()));
            } else if (cmd.block == 0 && p.length == 1 && p[0] == 0x41) {
                massErased = true;
            } else if (cmd.block >= 2) {
                for (long ptr : pointers) {
                    writes.add(new long[] {ptr + (long) (cmd.block - 2) * xfer, p.length});
                }
            }
        }

        private static long addr(byte[] p) {
            return (p[1] & 0xFFL) | (p[2] & 0xFFL) << 8 | (p[3] & 0xFFL) << 16 | (p[4] & 0xFFL) << 24;
        }

        private static boolean validDnloadCommand(Req r, int xfer) {
            if (r.data.length > xfer) {
                return false;
            }
            if (r.block >= 2) {
                return true;
            }
            if (r.block == 1) {
                return false;
            }
            int op = r.data[0] & 0xFF;
            return (r.data.length == 5 && (op == 0x21 || op == 0x41)) || (r.data.length == 1 && (op == 0x41 || op == 0x92));
        }

        private static boolean reply(Obs o, DfuState s) {
            return o.kind == 'D' && o.replyState == s.code();
        }

        private EnumSet<O> stallToError(Obs o) {
            return o.kind == 'S' ? EnumSet.of(O.ERROR) : null;
        }

        /** The table (docs/reference/dfu.md §1.4 with the DfuSe deviations of §2.2-2.5 and §2.7 item 2). */
        private EnumSet<O> transition(O s, Req req, Obs o) {
            switch (s) {
                case GONE:
                    return o.kind == 'G' ? EnumSet.of(O.GONE) : null;
                case ERROR:
                    switch (req.kind) {
                        case "GETSTATUS": case "GETSTATE":
                            return reply(o, DfuState.DFU_ERROR) ? EnumSet.of(O.ERROR) : null;
                        case "CLRSTATUS":
                            return o.kind == 'A' ? EnumSet.of(O.IDLE) : null;
                        default:
                            return stallToError(o);
                    }
                default:
                    break;
            }
            if (req.kind.equals("CLRSTATUS")) {
                return o.kind == 'A' ? EnumSet.of(O.ERROR) : null; // ST DfuSe: errUNKNOWN outside dfuERROR
            }
            switch (s) {
                case IDLE:
                case DNLOAD_IDLE:
                    switch (req.kind) {
                        case "GETSTATUS": case "GETSTATE":
                            return reply(o, s == O.IDLE ? DfuState.DFU_IDLE : DfuState.DFU_DNLOAD_IDLE) ? EnumSet.of(s) : null;
                        case "ABORT":
                            return o.kind == 'A' ? EnumSet.of(O.IDLE) : null;
                        case "DNLOAD":
                            if (req.isLeave()) {
                                return o.kind == 'A' ? EnumSet.of(O.MANIFEST_SYNC) : null;
                            }
                            return validDnloadCommand(req, xfer) ? (o.kind == 'A' ? EnumSet.of(O.DSYNC_PENDING) : null) : stallToError(o);
                        case "UPLOAD":
                            if (s == O.DNLOAD_IDLE) {
                                return stallToError(o);
                            }
                            return upload(req, o);
                        default:
                            return stallToError(o);
                    }
                case UPLOAD_IDLE:
                    switch (req.kind) {
                        case "GETSTATUS": case "GETSTATE":
                            return reply(o, DfuState.DFU_UPLOAD_IDLE) ? EnumSet.of(s) : null;
                        case "ABORT":
                            return o.kind == 'A' ? EnumSet.of(O.IDLE) : null;
                        case "UPLOAD":
                            return upload(req, o);
                        default:
                            return stallToError(o);
                    }
                case DSYNC_PENDING:
                    switch (req.kind) {
                        case "GETSTATUS":
                            return reply(o, DfuState.DFU_DNBUSY) ? afterStart() : null;
                        case "GETSTATE":
                            return reply(o, DfuState.DFU_DNLOAD_SYNC) ? EnumSet.of(s) : null;
                        default:
                            return stallToError(o);
                    }
                case DNBUSY_RUNNING:
                    switch (req.kind) {
                        case "GETSTATUS":
                            return reply(o, DfuState.DFU_DNBUSY) ? afterStart() : null;
                        case "GETSTATE":
                            return reply(o, DfuState.DFU_DNBUSY) ? afterStart() : null;
                        default:
                            return stallToError(o);
                    }
                case DSYNC_DONE:
                    switch (req.kind) {
                        case "GETSTATUS":
                            return reply(o, DfuState.DFU_DNLOAD_IDLE) ? EnumSet.of(O.DNLOAD_IDLE) : null;
                        case "GETSTATE":
                            return reply(o, DfuState.DFU_DNLOAD_SYNC) ? EnumSet.of(s) : null;
                        default:
                            return stallToError(o);
                    }
                case MANIFEST_SYNC:
                    switch (req.kind) {
                        case "GETSTATUS":
                            return reply(o, DfuState.DFU_MANIFEST) || o.kind == 'G' ? EnumSet.of(O.GONE) : null;
                        case "GETSTATE":
                            return reply(o, DfuState.DFU_MANIFEST_SYNC) ? EnumSet.of(s) : null;
                        default:
                            return stallToError(o);
                    }
                default:
                    return null;
            }
        }

        private EnumSet<O> upload(Req req, Obs o) {
            if (req.block == 1 || req.length > xfer) {
                return stallToError(o); // reserved block / larger than wTransferSize
            }
            if (o.kind == 'S') {
                return req.block == 0 ? null : EnumSet.of(O.ERROR); // address not readable: errTARGET
            }
            if (o.kind != 'D' || o.length > req.length) {
                return null;
            }
            return o.length < req.length ? EnumSet.of(O.IDLE) : EnumSet.of(O.UPLOAD_IDLE);
        }
    }
}
