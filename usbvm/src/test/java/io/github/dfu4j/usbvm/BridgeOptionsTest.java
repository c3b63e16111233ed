package io.github.dfu4j.usbvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BridgeOptionsTest {

    @Test
    void defaults() {
        BridgeOptions o = BridgeOptions.parse("--sim", "stm32f405");
        assertEquals("stm32f405", o.sim());
        assertEquals(Optional.empty(), o.realTime());
        assertEquals(RawGadgetAbi.Speed.FULL, o.speed());
        assertEquals(Path.of("/dev/raw-gadget"), o.rawGadget());
        assertEquals(Duration.ofSeconds(3), o.rejoinTimeout());
    }

    @Test
    void everyOption() {
        BridgeOptions o = BridgeOptions.parse("--sim", "stm32h743", "--sim-option", "boot0=high", "--sim-option", "rdp=1",
                "--state", "/w/s.bin", "--trace", "/w/t.txt", "--time", "real:2.5", "--udc", "dummy_udc.1", "--speed", "high",
                "--ready-file", "/w/ready", "--rejoin-timeout", "0", "--raw-gadget", "/dev/rg");
        assertEquals(List.of("boot0=high", "rdp=1"), o.simOptions());
        assertEquals(Optional.of(Path.of("/w/s.bin")), o.stateFile());
        assertEquals(Optional.of(Path.of("/w/t.txt")), o.traceFile());
        assertEquals(Optional.of(2.5), o.realTime());
        assertEquals(Optional.of("dummy_udc.1"), o.udc());
        assertEquals(RawGadgetAbi.Speed.HIGH, o.speed());
        assertEquals(Duration.ZERO, o.rejoinTimeout());
        assertEquals(Optional.of(1.0), BridgeOptions.parse("--sim", "x", "--time", "real").realTime());
        assertEquals(Optional.empty(), BridgeOptions.parse("--sim", "x", "--time", "virtual").realTime());
    }

    @ParameterizedTest
    @ValueSource(strings = {"--time=real", "--time real:0", "--time real:-1", "--time real:abc", "--time later",
        "--speed super", "--rejoin-timeout -5", "--boards 0", "--boards 33", "--boards x", "--bogus 1", "--sim-option =x", "--trace", "stray"})
    void rejectsBadArgumentsWithTheirName(String line) {
        String[] args = ("--sim stm32f405 " + line).split(" ");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BridgeOptions.parse(args));
        String first = line.split("[ =]")[0];
        assertTrue(e.getMessage().contains(first), e.getMessage());
    }

    @Test
    void simIsRequired() {
        assertThrows(IllegalArgumentException.class, () -> BridgeOptions.parse("--time", "real"));
    }

    @Test
    void eachOfSeveralBoardsHasItsOwnUdcSerialAndFiles() {
        BridgeOptions o = BridgeOptions.parse("--sim", "stm32f746", "--boards", "4", "--sim-option", "serial=MULTI0000000",
                "--sim-option", "boot0=high", "--trace", "/w/multi.trace", "--state", "/w/b.state", "--time", "real");
        assertEquals(4, o.boards());
        assertEquals(1, BridgeOptions.parse("--sim", "x").boards());
        BridgeOptions third = o.board(3);
        assertEquals(1, third.boards());
        assertEquals(Optional.of("dummy_udc.2"), third.udc());
        assertEquals(List.of("boot0=high", "serial=MULTI0000003"), third.simOptions());
        assertEquals(Optional.of(Path.of("/w/multi.3.trace")), third.traceFile());
        assertEquals(Optional.of(Path.of("/w/b.3.state")), third.stateFile());
        assertEquals(Optional.of(1.0), third.realTime());
        assertEquals(List.of("serial=DFU4JBOARD01"), BridgeOptions.parse("--sim", "x", "--boards", "2").board(1).simOptions());
        assertEquals(Optional.of("other_udc.1"),
                BridgeOptions.parse("--sim", "x", "--boards", "2", "--udc", "other_udc.0").board(2).udc());
        assertThrows(IllegalArgumentException.class, () -> o.board(5));
        assertEquals(Path.of("ready.2"), BridgeOptions.numbered(Path.of("ready"), 2));
    }
}
