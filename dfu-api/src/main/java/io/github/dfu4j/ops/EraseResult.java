package io.github.dfu4j.ops;

import java.time.Duration;
import java.util.List;

/**
 * What {@link DfuDevice#erase} or {@link DfuDevice#massErase} did.
 *
 * @param erased          the sectors erased; empty for a mass erase
 * @param massErase       true for a mass erase
 * @param wedgeRecoveries erases recovered with the CLRSTATUS pair
 * @param elapsed         time on the transport clock
 */
public record EraseResult(List<MemoryRange> erased, boolean massErase, int wedgeRecoveries, Duration elapsed) {
    public EraseResult {
        erased = List.copyOf(erased);
    }
}
