/**
 * The flash planner: {@link io.github.dfu4j.plan.internal.FlashPlanner#plan} turns a firmware image and the
 * memory layouts of the alternate settings into an immutable {@link io.github.dfu4j.plan.internal.FlashPlan}
 * (erases, write runs with block numbers, sectors to compare for incremental flashing) before the
 * device is touched.
 */
package io.github.dfu4j.plan;
