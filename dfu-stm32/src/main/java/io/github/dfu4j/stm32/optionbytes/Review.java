package io.github.dfu4j.stm32.optionbytes;

import io.github.dfu4j.ops.Confirmation;

import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The verdict on an option-byte change: what changes and what it means.
 *
 * @param current  decoded current option bytes
 * @param proposed decoded option bytes after the write
 * @param changes  fields that differ, in table order
 * @param findings consequences, blocking ones first
 */
public record Review(OptionByteReport current, OptionByteReport proposed, List<FieldChange> changes, List<Finding> findings) {
    public Review {
        Objects.requireNonNull(current, "current");
        Objects.requireNonNull(proposed, "proposed");
        changes = List.copyOf(changes);
        findings = List.copyOf(findings);
    }

    /** Findings that stop the write given {@code granted}. */
    public List<Finding> blocking(Set<Confirmation> granted) {
        return findings.stream().filter(f -> f.blocks(granted)).toList();
    }

    /** True when the write may go ahead with {@code granted}. */
    public boolean allowed(Set<Confirmation> granted) {
        return blocking(granted).isEmpty();
    }

    /** Every confirmation some finding asks for. */
    public Set<Confirmation> confirmationsNeeded() {
        EnumSet<Confirmation> out = EnumSet.noneOf(Confirmation.class);
        findings.forEach(f -> f.needs().ifPresent(out::add));
        return out;
    }

    /** True when the bytes would not change at all. */
    public boolean isNoOp() {
        return current.image().equals(proposed.image());
    }
}
