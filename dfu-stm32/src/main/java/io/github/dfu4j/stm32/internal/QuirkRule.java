package io.github.dfu4j.stm32.internal;

import io.github.dfu4j.stm32.Evidence;

import io.github.dfu4j.stm32.RomQuirk;
import java.util.List;
import java.util.Objects;

/**
 * One row of the quirks table ({@link Stm32Quirks}): a documented ROM misbehaviour, where it occurs,
 * what dfu4j changes for it and what to do if that is not enough.
 *
 * @param quirk    the quirk
 * @param symptom  what the ROM does, in one sentence
 * @param scope    which devices show it
 * @param effects  the changes to dfu-api's {@code DfuQuirks}
 * @param handling what dfu4j does about it, in one sentence
 * @param fallback what a user can do when the handling is not enough (empty when nothing is known)
 * @param evidence how well the behaviour is backed (the evidence mark of docs/reference)
 * @param source   where it is documented
 */
public record QuirkRule(RomQuirk quirk, String symptom, QuirkScope scope, List<QuirkEffect> effects, String handling,
                        String fallback, Evidence evidence, String source) {
    public QuirkRule {
        Objects.requireNonNull(quirk, "quirk");
        Objects.requireNonNull(symptom, "symptom");
        Objects.requireNonNull(scope, "scope");
        effects = List.copyOf(effects);
        Objects.requireNonNull(handling, "handling");
        Objects.requireNonNull(fallback, "fallback");
        Objects.requireNonNull(evidence, "evidence");
        Objects.requireNonNull(source, "source");
        if (effects.isEmpty()) {
            throw new IllegalArgumentException(quirk + ": a rule needs at least one effect (QuirkEffect.Handled if nothing changes)");
        }
    }
}
