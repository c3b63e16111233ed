package io.github.dfu4j.plan.internal;

import java.util.List;

/** An address range [start, end) of one alternate setting, while planning (FlashPlanner). */
record Span(long start, long end) {
    boolean isEmpty() {
        return start >= end;
    }

    boolean contains(long address) {
        return address >= start && address < end;
    }

    Span withEnd(long newEnd) {
        return new Span(start, newEnd);
    }

    /**
     * Appends {@code [from, to)} to {@code spans} (in address order), extending the last span instead when
     * {@code from} is less than {@code join} bytes after its end (join 1: only touching ranges merge).
     */
    static void append(List<Span> spans, long from, long to, long join) {
        int last = spans.size() - 1;
        if (last >= 0 && from - spans.get(last).end() < join) {
            spans.set(last, spans.get(last).withEnd(Math.max(spans.get(last).end(), to)));
        } else {
            spans.add(new Span(from, to));
        }
    }
}
