package io.github.dfu4j.sim;

import io.github.dfu4j.sim.SimOptions.UsbTiming;
import io.github.dfu4j.sim.SimulatedDevice.TraceEntry;
import io.github.dfu4j.dfu.DfuStatus;
import io.github.dfu4j.dfu.DfuState;

import io.github.dfu4j.dfu.DfuRequest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dfu4j.transport.TransportException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class FaultInjectionTest {
    static final long FLASH = 0x0800_0000L;

    @Test
    void theThirdDnloadStallsAndOnlyThatOne() throws Exception {
        SimulatedDevice d = SimulatedDevices.create("stm32f405", SimOptions.defaults()
                .withFaults(FaultRule.nth(3, RequestMatcher.request(DfuRequest.DNLOAD), Fault.stall())));
        RawDfu h = new RawDfu(d.connect());
        h.setAddress(FLASH); // DNLOAD 1
        h.dnloadAndPoll(2, new byte[] {1}); // DNLOAD 2
        TransportException e = assertThrows(TransportException.class, () -> h.dnload(3, new byte[] {2}));
        assertEquals(TransportException.Kind.STALL, e.kind());
        assertEquals(DfuState.DFU_DNLOAD_IDLE, h.getStatus().dfuState(), "an injected stall does not touch the DFU state");
        assertEquals(DfuState.DFU_DNLOAD_IDLE, h.dnloadAndPoll(3, new byte[] {3}).dfuState()); // DNLOAD 4
        assertArrayEquals(new byte[] {1}, d.readMemory(FLASH, 1));
        assertArrayEquals(new byte[] {3}, d.readMemory(FLASH + 2048, 1));
        List<TraceEntry> stalls = d.trace().stream().filter(t -> t.fault().isPresent()).toList();
        assertEquals(1, stalls.size());
        assertEquals(TraceEntry.Result.STALL, stalls.get(0).result());
    }

    @Test
    void statusFaultOnTheGetStatusOfOneEraseFailsThatEraseWithoutErasing() throws Exception {
        SimulatedDevice d = SimulatedDevices.create("stm32h743", SimOptions.defaults().withFaults(FaultRule.first(
                RequestMatcher.getStatusFor(new Command.Erase(0x0810_0000L)), Fault.status(DfuStatus.ERR_ERASE))));
        byte[] data = TestImages.random(1, 64);
        d.writeMemory(0x0810_0000L, data);
        d.writeMemory(FLASH, data);
        RawDfu h = new RawDfu(d.connect());
        assertEquals(DfuState.DFU_DNLOAD_IDLE, h.erase(FLASH).dfuState(), "other erases are not affected");
        RawDfu.Status s = h.erase(0x0810_0000L);
        assertEquals(DfuState.DFU_ERROR, s.dfuState());
        assertEquals(DfuStatus.ERR_ERASE, s.statusCode());
        assertArrayEquals(data, d.readMemory(0x0810_0000L, 64));
        assertTrue(d.isErased(FLASH, 64));
    }

    @Test
    void timeoutCostsTheHostItsWholeTimeoutAndDropsTheRequest() throws Exception {
        SimulatedDevice d = SimulatedDevices.create("stm32f405", SimOptions.defaults().withUsbTiming(UsbTiming.INSTANT)
                .withFaults(FaultRule.first(RequestMatcher.command(Command.SetAddress.class), Fault.timeout())));
        RawDfu h = new RawDfu(d.connect());
        long t0 = d.clock().nanoTime();
        TransportException e = assertThrows(TransportException.class, () -> h.dnload(0, RawDfu.cmd(0x21, 0x0800_4000L)));
        assertEquals(TransportException.Kind.TIMEOUT, e.kind());
        assertEquals(Duration.ofSeconds(5).toNanos(), d.clock().nanoTime() - t0);
        assertEquals(DfuState.DFU_IDLE, h.getStatus().dfuState());
        assertEquals(FLASH, d.addressPointer());
    }

    @Test
    void disconnectDropsTheDeviceWhichComesBackInDfuModeWithItsMemory() throws Exception {
        SimulatedDevice d = SimulatedDevices.create("stm32f405", SimOptions.defaults()
                .withFaults(FaultRule.nth(2, RequestMatcher.command(Command.Write.class), Fault.disconnect())));
        RawDfu h = new RawDfu(d.connect());
        byte[] data = TestImages.random(2, 4096);
        TransportException e = assertThrows(TransportException.class, () -> h.writeEachAddressed(FLASH, data, 2048));
        assertTrue(e.isDisconnect());
        assertThrows(TransportException.class, h::getStatus);
        assertTrue(h.reopen(Duration.ofMillis(100)).isEmpty(), "not back yet");
        RawDfu again = new RawDfu(h.reopen(Duration.ofSeconds(2)).orElseThrow());
        assertEquals(DfuState.DFU_IDLE, again.getStatus().dfuState());
        assertArrayEquals(java.util.Arrays.copyOf(data, 2048), d.readMemory(FLASH, 2048));
        assertTrue(d.isErased(FLASH + 2048, 2048));
    }

    @Test
    void delayShorterThanTheTimeoutOnlyCostsTime() throws Exception {
        SimulatedDevice d = SimulatedDevices.create("stm32f405", SimOptions.defaults().withUsbTiming(UsbTiming.INSTANT)
                .withFaults(FaultRule.every(RequestMatcher.request(DfuRequest.GETSTATE), Fault.delay(Duration.ofMillis(300)))));
        RawDfu h = new RawDfu(d.connect());
        long t0 = d.clock().nanoTime();
        assertEquals(DfuState.DFU_IDLE.code(), h.getState());
        assertEquals(Duration.ofMillis(300).toNanos(), d.clock().nanoTime() - t0);
        h.timeout = Duration.ofMillis(100);
        assertEquals(TransportException.Kind.TIMEOUT, assertThrows(TransportException.class, h::getState).kind());
    }

    @Test
    void rulesCanBeAddedAtRunTimeAndCombined() throws Exception {
        SimulatedDevice d = SimulatedDevices.create("mboot-pybd-sf2");
        RawDfu h = new RawDfu(d.connect());
        d.addFault(FaultRule.fromNth(2, RequestMatcher.request(DfuRequest.UPLOAD).and(RequestMatcher.altSetting(0)),
                Fault.status(DfuStatus.ERR_VENDOR)));
        h.setAddress(0x0800_8000L);
        h.upload(2, 16);
        assertThrows(TransportException.class, () -> h.upload(3, 16));
        assertEquals(DfuStatus.ERR_VENDOR, h.getStatus().statusCode());
        h.abort();
        assertThrows(TransportException.class, () -> h.upload(2, 16), "repeats from the 2nd match on");
        d.clearFaults();
        h.abort();
        assertEquals(16, h.upload(2, 16).length);
    }

    @Test
    void faultRulesValidateTheirArguments() {
        assertThrows(IllegalArgumentException.class, () -> FaultRule.nth(0, RequestMatcher.any(), Fault.stall()));
        assertThrows(IllegalArgumentException.class, () -> Fault.status(DfuStatus.OK));
    }
}
