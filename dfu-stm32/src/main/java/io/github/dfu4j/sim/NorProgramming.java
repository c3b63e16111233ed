package io.github.dfu4j.sim;

import io.github.dfu4j.dfu.DfuStatus;
import io.github.dfu4j.stm32.internal.Programming;

/** NOR flash programming as the simulated chips do it (docs/simulator.md "NOR flash"). */
final class NorProgramming {
    private NorProgramming() {
    }

    /**
     * Programs {@code data} at {@code address} under the NOR rules of {@code prog}: units are
     * written whole, the parts of a unit outside {@code data} are padded with 0xFF.
     *
     * @param verify whether the firmware reads back and reports a mismatch (errVERIFY)
     * @return OK, errPROG (a unit was not erased and the controller refused it; earlier units are
     *         programmed) or errVERIFY (AND semantics left a bit at 0 that should be 1)
     */
    static DfuStatus program(Region r, long address, byte[] data, Programming prog, boolean verify) {
        int unit = prog.unitBytes();
        long start = r.base + Math.floorDiv(address - r.base, unit) * (long) unit;
        long end = Math.min(r.end(), r.base + Math.floorDiv(address + data.length - r.base + unit - 1, unit) * (long) unit);
        // result starts as the current content and is changed in place: the 0xFF padding of a unit
        // outside data changes nothing under AND_BITS, and under REFUSE_UNIT only erased units are
        // written, whose padding bytes are 0xFF already (no padded copy of data per block)
        byte[] result = r.read(start, (int) (end - start));
        int off = (int) (address - start);
        DfuStatus outcome = DfuStatus.OK;
        if (prog.overwrite() == Programming.Overwrite.REFUSE_UNIT) {
            int written = 0;
            for (int u = 0; u < result.length; u += unit) {
                int n = Math.min(unit, result.length - u);
                boolean erased = true;
                for (int i = u; i < u + n && erased; i++) {
                    erased = result[i] == (byte) 0xFF;
                }
                if (!erased) {
                    outcome = DfuStatus.ERR_PROG;
                    break;
                }
                written = u + n;
            }
            int copy = Math.max(0, Math.min(data.length, written - off));
            System.arraycopy(data, 0, result, off, copy);
        } else {
            for (int i = 0; i < data.length; i++) {
                result[off + i] &= data[i];
            }
        }
        r.write(start, result);
        if (outcome == DfuStatus.OK && verify && prog.overwrite() == Programming.Overwrite.AND_BITS) {
            for (int i = 0; i < data.length; i++) {
                if (result[off + i] != data[i]) {
                    return DfuStatus.ERR_VERIFY;
                }
            }
        }
        return outcome;
    }

    /** Programming units touched by a write, for its duration. */
    static long units(long address, int length, int unit) {
        long first = Math.floorDiv(address, unit);
        long last = Math.floorDiv(address + Math.max(1, length) - 1, unit);
        return last - first + 1;
    }
}
