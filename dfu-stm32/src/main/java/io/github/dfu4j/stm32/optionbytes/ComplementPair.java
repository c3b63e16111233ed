package io.github.dfu4j.stm32.optionbytes;

/**
 * A byte and the byte that must hold its bitwise complement (F0: every option byte is stored as
 * value + complement half-word, {@code OB_TypeDef}). A mismatch makes the chip flag an option-byte
 * error and load defaults ({@code OPTERR}).
 *
 * @param block            block index
 * @param valueOffset      offset of the value byte
 * @param complementOffset offset of the complement byte
 */
record ComplementPair(int block, int valueOffset, int complementOffset) {
    public ComplementPair {
        if (block < 0 || valueOffset < 0 || complementOffset < 0 || valueOffset == complementOffset) {
            throw new IllegalArgumentException("bad complement pair " + block + "/" + valueOffset + "/" + complementOffset);
        }
    }
}
