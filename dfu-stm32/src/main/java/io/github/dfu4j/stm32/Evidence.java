package io.github.dfu4j.stm32;

/**
 * How well a number or string in the profile tables is backed, using the evidence marks of
 * docs/reference/README.md. Anything {@link #UNVERIFIED} should be confirmed on hardware before a host
 * relies on it; the simulator uses such values only where something had to be picked.
 */
public enum Evidence {
    /** [V] primary text: ST headers/code, the USB-IF spec, or the source of the implementation described. */
    VERIFIED("[V]"),
    /** [O] seen on real hardware in a named public log (one sample, may depend on revision). */
    OBSERVED("[O]"),
    /** [S] secondary: a third party restating or implementing an ST document. */
    SECONDARY("[S]"),
    /** [U] inferred, derived, anonymous or conflicting: confirm before hard-coding. */
    UNVERIFIED("[U]");

    private final String tag;

    Evidence(String tag) {
        this.tag = tag;
    }

    /** The fact-sheet tag, e.g. "[U]". */
    public String tag() {
        return tag;
    }
}
