package io.github.dfu4j.sim;

/**
 * The simulated chip left the bootloader and runs the application.
 *
 * @param vectorTable the vector table it started from
 * @param entryPoint  the reset handler it jumped to (Thumb bit as stored in the vector table)
 * @param how         how it got there, e.g. "leave to vector table 0x08000000"
 */
public record RunningApplication(long vectorTable, long entryPoint, String how) {
    /** One line for logs and the CLI, e.g. {@code application running from 0x08000000 (reset handler 0x08000189): leave ...}. */
    @Override
    public String toString() {
        return String.format("application running from 0x%08x (reset handler 0x%08x): %s", vectorTable, entryPoint, how);
    }
}
