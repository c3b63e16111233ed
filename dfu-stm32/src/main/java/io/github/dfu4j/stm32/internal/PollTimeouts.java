package io.github.dfu4j.stm32.internal;

import io.github.dfu4j.stm32.Evidence;

import java.util.Objects;

/**
 * The bwPollTimeout a ROM reports in the dfuDNBUSY reply to the first GETSTATUS after each kind of
 * DfuSe command (docs/reference/stm32.md §6). These are what the device <em>says</em>, not how long the
 * operation takes: the F405 reports 100 ms for a mass erase that takes seconds.
 *
 * @param setAddressMs after SET_ADDRESS
 * @param writeMs      after a data block
 * @param eraseMs      after a sector/page erase
 * @param massEraseMs  after a mass erase
 * @param evidence     how well the values are backed: the weakest of the four (one assumed value makes
 *                     the set {@link Evidence#UNVERIFIED}; {@code source} says which were seen)
 * @param source       where they come from
 */
public record PollTimeouts(int setAddressMs, int writeMs, int eraseMs, int massEraseMs, Evidence evidence, String source) {
    public PollTimeouts {
        Objects.requireNonNull(evidence, "evidence");
        Objects.requireNonNull(source, "source");
        for (int v : new int[] {setAddressMs, writeMs, eraseMs, massEraseMs}) {
            if (v < 0 || v > 0xFFFFFF) {
                throw new IllegalArgumentException("bwPollTimeout is 24 bits: " + v);
            }
        }
    }
}
