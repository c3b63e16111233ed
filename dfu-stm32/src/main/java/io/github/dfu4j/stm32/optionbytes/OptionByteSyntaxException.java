package io.github.dfu4j.stm32.optionbytes;

/**
 * A {@code FIELD=VALUE} assignment that names no field of the chip or a value the field cannot
 * hold. The message quotes the assignment, its position among the arguments and the character
 * offset of the problem.
 */
public class OptionByteSyntaxException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String assignment;
    private final int argumentIndex;
    private final int offset;

    /**
     * A bad assignment. The message is one line: {@code option-byte assignment N 'ASSIGNMENT' (column C): REASON},
     * with N and C counted from 1.
     *
     * @param assignment    the assignment as the user wrote it, e.g. {@code "RDP=0xCC"}
     * @param argumentIndex zero-based position among the assignments
     * @param offset        zero-based character offset of the problem inside {@code assignment}
     * @param reason        what is wrong, e.g. {@code expected FIELD=VALUE}
     */
    public OptionByteSyntaxException(String assignment, int argumentIndex, int offset, String reason) {
        super("option-byte assignment " + (argumentIndex + 1) + " '" + assignment + "' (column " + (offset + 1) + "): " + reason);
        this.assignment = assignment;
        this.argumentIndex = argumentIndex;
        this.offset = offset;
    }

    /** The offending assignment as the user wrote it, e.g. {@code "nRST_STOP=maybe"}. */
    public String assignment() {
        return assignment;
    }

    /** Zero-based position among the assignments. */
    public int argumentIndex() {
        return argumentIndex;
    }

    /** Zero-based character offset of the problem inside the assignment. */
    public int offset() {
        return offset;
    }
}
