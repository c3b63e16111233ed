/**
 * Simulated STM32 DfuSe bootloaders (ST system-memory ROMs and MicroPython mboot) that answer USB
 * control requests like the real ones: DFU state machine, DfuSe commands executed on GETSTATUS,
 * NOR flash with sectors and programming units, option bytes, timing on a virtual or real-time
 * clock, leave/boot model, fault injection, and a state file for multi-process use.
 *
 * <p>Entry points: {@link io.github.dfu4j.sim.SimulatedDevices} (registry),
 * {@link io.github.dfu4j.sim.SimOptions}, {@link io.github.dfu4j.sim.SimulatedDevice}
 * ({@code connect()} gives a {@link io.github.dfu4j.transport.DfuTransport}),
 * {@link io.github.dfu4j.sim.FaultRule}. The device side for a USB gadget bridge is
 * {@link io.github.dfu4j.sim.UsbControlEndpoint}. Behaviour and sources: docs/simulator.md.
 */
package io.github.dfu4j.sim;
