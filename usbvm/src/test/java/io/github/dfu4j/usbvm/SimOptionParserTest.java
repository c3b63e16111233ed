package io.github.dfu4j.usbvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dfu4j.dfu.DfuStatus;
import io.github.dfu4j.sim.Fault;
import io.github.dfu4j.sim.FaultRule;
import io.github.dfu4j.sim.SimOptions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SimOptionParserTest {

    @Test
    void settingsMapOntoSimOptions() {
        SimOptions o = SimOptionParser.apply(SimOptions.defaults(),
                List.of("boot0=high", "serial=ABC123", "rdp=1", "firmware-error-at-start", "flash-mode=dual"));
        assertTrue(o.boot0High());
        assertEquals("ABC123", o.serial());
        assertTrue(o.readProtected());
        assertTrue(o.firmwareErrorAtStart());
        assertEquals("dual", o.flashMode());
        assertFalse(SimOptionParser.apply(o, List.of("boot0=low")).boot0High());
    }

    @Test
    void faultsParseIntoRules() {
        FaultRule stall = SimOptionParser.fault("stall@DNLOAD#3");
        assertInstanceOf(Fault.Stall.class, stall.fault());
        assertEquals(3, stall.occurrence());
        assertFalse(stall.repeat());

        FaultRule unplug = SimOptionParser.fault("disconnect:1500@cmd:write#20");
        assertEquals(new Fault.Disconnect(Duration.ofMillis(1500)), unplug.fault());
        assertEquals(20, unplug.occurrence());

        FaultRule status = SimOptionParser.fault("status:err_write@getstatus:write#2+");
        assertEquals(new Fault.Status(DfuStatus.ERR_WRITE), status.fault());
        assertTrue(status.repeat());

        FaultRule every = SimOptionParser.fault("delay:50@any#*");
        assertEquals(new Fault.Delay(Duration.ofMillis(50)), every.fault());
        assertTrue(every.repeat());

        assertEquals(1, SimOptionParser.fault("timeout@GETSTATUS").occurrence());
        SimOptions o = SimOptionParser.apply(SimOptions.defaults(), List.of("fault=stall@UPLOAD", "fault=timeout@any#9"));
        assertEquals(2, o.faults().size());
    }

    @ParameterizedTest
    @ValueSource(strings = {"boot0=maybe", "rdp=2", "colour=blue", "fault=stall", "fault=explode@DNLOAD",
        "fault=stall@FLASH", "fault=stall@cmd:format", "fault=stall@DNLOAD#0", "fault=stall@DNLOAD#x",
        "fault=status:ERR_NOPE@any", "fault=status:OK@any", "fault=delay@any", "fault=disconnect:-1@any"})
    void badSettingsNameThemselves(String setting) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SimOptionParser.apply(SimOptions.defaults(), List.of(setting)));
        assertTrue(e.getMessage().contains(setting), e.getMessage());
    }
}
