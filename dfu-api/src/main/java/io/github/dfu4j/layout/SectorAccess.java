package io.github.dfu4j.layout;

/**
 * What a sector allows, from the type letter of a DfuSe memory-layout entry (UM0424 §4.3.2): the
 * letters a..g are a bit field (letter &amp; 7) with bit 0 readable, bit 1 erasable, bit 2 writable.
 * {@code g} = read+erase+write (flash), {@code e} = read+write (option bytes, OTP), {@code a} = read only.
 *
 * @param readable  UPLOAD allowed
 * @param erasable  ERASE allowed
 * @param writable  DNLOAD allowed
 */
public record SectorAccess(boolean readable, boolean erasable, boolean writable) {
    // equals/hashCode written out (no java.lang.runtime.ObjectMethods bootstrap on first use; see MemoryRegion)

    /**
     * Two values are equal when all three permissions are equal (as the record's own equals would say;
     * written out to keep short-lived JVMs from bootstrapping it).
     */
    @Override
    public boolean equals(Object o) {
        return o instanceof SectorAccess a && readable == a.readable && erasable == a.erasable && writable == a.writable;
    }

    /** A hash consistent with {@link #equals(Object)}: the same value as {@link #bits()}. */
    @Override
    public int hashCode() {
        return (readable ? 1 : 0) | (erasable ? 2 : 0) | (writable ? 4 : 0);
    }

    /** Type letter {@code g}: read, erase and write, as internal flash sectors are. */
    public static final SectorAccess READ_ERASE_WRITE = new SectorAccess(true, true, true);
    /** Type letter {@code e}: read and write without erase, as option bytes and OTP areas are. */
    public static final SectorAccess READ_WRITE = new SectorAccess(true, false, true);
    /** Type letter {@code a}: read only, neither ERASE nor DNLOAD allowed. */
    public static final SectorAccess READ_ONLY = new SectorAccess(true, false, false);

    /**
     * True for 'a'..'g'.
     *
     * @param c any character
     * @return {@code true} for the seven type letters, lower case only
     */
    public static boolean isTypeLetter(char c) {
        return c >= 'a' && c <= 'g';
    }

    /**
     * The access a type letter stands for.
     *
     * @param letter a type letter 'a'..'g'
     * @return the access, e.g. {@link #READ_ERASE_WRITE} for 'g'
     * @throws IllegalArgumentException when {@code letter} is not 'a'..'g'
     */
    public static SectorAccess fromTypeLetter(char letter) {
        if (!isTypeLetter(letter)) {
            throw new IllegalArgumentException("not a memory type letter a..g: '" + letter + "'");
        }
        return fromBits(letter & 7);
    }

    /**
     * From the 3-bit value (bit 0 readable, bit 1 erasable, bit 2 writable); 0 is not representable as a letter.
     *
     * @param bits the value; bits above bit 2 are ignored
     * @return the access those bits say
     */
    public static SectorAccess fromBits(int bits) {
        return new SectorAccess((bits & 1) != 0, (bits & 2) != 0, (bits & 4) != 0);
    }

    /**
     * The 3-bit value of the type letter: bit 0 readable, bit 1 erasable, bit 2 writable.
     *
     * @return 0..7 ({@code letter & 7} for the letter {@link #typeLetter()} returns)
     */
    public int bits() {
        return (readable ? 1 : 0) | (erasable ? 2 : 0) | (writable ? 4 : 0);
    }

    /**
     * The type letter, a..g.
     *
     * @return 'a'..'g', the letter whose low three bits are {@link #bits()}
     * @throws IllegalStateException when nothing is allowed (bits 0 has no letter)
     */
    public char typeLetter() {
        if (bits() == 0) {
            throw new IllegalStateException("no access at all has no type letter");
        }
        return (char) ('`' + bits());
    }

    /** "rew", "r-w", ... */
    @Override
    public String toString() {
        return (readable ? "r" : "-") + (erasable ? "e" : "-") + (writable ? "w" : "-");
    }
}
