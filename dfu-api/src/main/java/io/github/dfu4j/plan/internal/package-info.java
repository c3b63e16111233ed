/**
 * The flash planner: {@link io.github.dfu4j.plan.internal.FlashPlanner#plan} turns a firmware image and the
 * memory layouts of the alternate settings into an immutable {@link io.github.dfu4j.plan.internal.FlashPlan}
 * (erases, write runs with block numbers, sectors to compare for incremental flashing) before the
 * device is touched. Internal: exported to dfu-stm32 and dfu-libusb only; callers choose the addressing
 * with {@link io.github.dfu4j.ops.AddressingMode} and see a refusal as a {@code DfuException} of kind {@code PLAN}.
 */
package io.github.dfu4j.plan.internal;
