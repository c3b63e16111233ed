package io.github.dfu4j.libusb;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What went wrong, in the user's terms, and what to do about it, step by step.
 *
 * @param summary one sentence: the cause
 * @param steps   the fix, in order; each a sentence or a command line
 */
public record Advice(String summary, List<String> steps) {
    /**
     * Checks the summary and copies {@code steps}.
     *
     * @param summary one sentence: the cause
     * @param steps   the fix, in order; each a sentence or a command line
     * @throws NullPointerException when {@code summary}, {@code steps} or a step is {@code null}
     */
    public Advice {
        Objects.requireNonNull(summary, "summary");
        steps = List.copyOf(steps);
    }

    /**
     * The summary, then the steps as an indented numbered list.
     *
     * @return the text, its lines separated by the platform's line separator
     */
    public String toText() {
        StringBuilder b = new StringBuilder(summary);
        for (int i = 0; i < steps.size(); i++) {
            b.append(System.lineSeparator()).append("  ").append(i + 1).append(". ").append(steps.get(i));
        }
        return b.toString();
    }

    /**
     * Insertion-ordered map for JSON output: {@code summary} (a string) and {@code steps} (a list of strings).
     *
     * @return a new mutable map of plain values
     */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("summary", summary);
        m.put("steps", steps);
        return m;
    }
}
