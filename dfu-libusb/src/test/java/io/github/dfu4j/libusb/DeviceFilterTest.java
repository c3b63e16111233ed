package io.github.dfu4j.libusb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dfu4j.libusb.DeviceFilter.UsbIds;
import io.github.dfu4j.transport.AltSetting;
import io.github.dfu4j.transport.TransportException;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DeviceFilterTest {

    static DfuDeviceDescription device(int vid, int pid, DfuMode mode, String serial, String path) {
        return new DfuDeviceDescription(vid, pid, 0x2200, "ST", "STM32  BOOTLOADER", serial, 1, 5, path, 1, 0, mode,
                List.of(new AltSetting(0, "@Internal Flash  /0x08000000/04*016Kg"),
                        new AltSetting(1, "@Option Bytes  /0x1FFFC000/01*016 e")),
                null, FunctionalDescriptorSource.NONE, null);
    }

    static final DfuDeviceDescription ST_DFU = device(0x0483, 0xdf11, DfuMode.DFU, "3276365C3432", "1-2.3");
    static final DfuDeviceDescription APP_RUNTIME = device(0x1234, 0x5678, DfuMode.RUNTIME, "APP1", "1-4");

    @ParameterizedTest(name = "--device {0}")
    @CsvSource(delimiter = '|', value = {
        "0483:df11          | 0483:df11 | (null)    | true",
        "0483:              | 0483:*    | (null)    | true",
        ":df11              | *:df11    | (null)    | true",
        "*                  | *:*       | (null)    | true",
        "0x0483:0XDF11      | 0483:df11 | (null)    | true",
        "1234:5678,0483:df11| 1234:5678 | 0483:df11 | true",
        ",0483:df11         | -         | 0483:df11 | false",
        "1234:5678,         | 1234:5678 | *:*       | true",
        "-,0483:*           | -         | 0483:*    | true"})
    void parsesDeviceLikeDfuUtil(String spec, String runtime, String dfu, boolean runtimeGiven) {
        DeviceFilter f = DeviceFilter.ANY.withDevice(spec.strip());
        assertEquals(runtime, f.runtimeIds().toString());
        assertEquals(dfu.equals("(null)") ? null : dfu, f.dfuIds() == null ? null : f.dfuIds().toString());
        assertEquals(runtimeGiven, f.runtimeIdsGiven());
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
        "--device | 0483          | 4  | expected VID:PID",
        "--device | 0483:xyz      | 5  | product id \"xyz\" is not a hexadecimal number",
        "--device | 04830:df11    | 0  | vendor id \"04830\" is not a 16-bit hexadecimal number",
        "--device | a:b,c:d,e:f   | 7  | at most two VID:PID pairs",
        "--device | 1:2,0483:dfgg | 11 | product id \"dfgg\" is not a hexadecimal number",
        "--path   | 1-2.x         | 4  | expected BUS-PORT[.PORT...]",
        "--path   | usb1          | 4  | expected BUS-PORT[.PORT...]",
        "--alt    | 256           | 0  | alt setting 256 is not in 0..255"})
    void syntaxErrorsNameOptionValueAndOffset(String option, String value, int offset, String reason) {
        DeviceFilterSyntaxException e = assertThrows(DeviceFilterSyntaxException.class, () -> {
            switch (option) {
                case "--device" -> DeviceFilter.parse(value, null, null, null);
                case "--path" -> DeviceFilter.parse(null, null, value, null);
                default -> DeviceFilter.parse(null, null, null, value);
            }
        });
        assertEquals(option, e.option());
        assertEquals(offset, e.offset(), e.getMessage());
        assertTrue(e.getMessage().startsWith(option + " \"" + value + "\": offset " + offset + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(reason), e.getMessage());
    }

    @Test
    void blankOptionsMeanNotGiven() {
        assertEquals(DeviceFilter.ANY, DeviceFilter.parse(null, " ", "", null));
    }

    @Test
    void serialPairsSplitByMode() {
        DeviceFilter both = DeviceFilter.parse(null, "ABC", null, null);
        assertEquals("ABC", both.runtimeSerial());
        assertEquals("ABC", both.dfuSerial());
        DeviceFilter dfuOnly = DeviceFilter.parse(null, ",XYZ", null, null);
        assertNull(dfuOnly.runtimeSerial());
        assertEquals("XYZ", dfuOnly.dfuSerial());
        assertTrue(dfuOnly.matches(device(0x0483, 0xdf11, DfuMode.DFU, "XYZ", "1-1")));
        assertFalse(dfuOnly.matches(ST_DFU));
    }

    @Test
    void idsApplyPerMode() {
        DeviceFilter f = DeviceFilter.parse("1234:5678,0483:df11", null, null, null);
        assertTrue(f.matches(APP_RUNTIME));
        assertTrue(f.matches(ST_DFU));
        assertFalse(f.matches(device(0x1234, 0x5678, DfuMode.DFU, "", "1-1")));
        DeviceFilter one = DeviceFilter.parse("0483:df11", null, null, null);
        assertFalse(one.matches(APP_RUNTIME));
        assertEquals(UsbIds.ANY, one.dfuIdsAfterDetach(), "one pair: any DFU-mode IDs after a detach");
        assertEquals("0483:df11", f.dfuIdsAfterDetach().toString());
        DeviceFilter dfuOnly = DeviceFilter.parse(",0483:df11", null, null, null);
        assertFalse(dfuOnly.matches(device(0x0483, 0xdf11, DfuMode.RUNTIME, "", "1-1")));
    }

    @Test
    void pathAndAltSelectors() {
        assertTrue(DeviceFilter.parse(null, null, "1-2.3", null).matches(ST_DFU));
        assertFalse(DeviceFilter.parse(null, null, "1-2", null).matches(ST_DFU));
        DeviceFilter byName = DeviceFilter.parse(null, null, null, "@Option Bytes  /0x1FFFC000/01*016 e");
        assertEquals(OptionalInt.of(1), byName.altFor(ST_DFU));
        assertTrue(byName.matches(ST_DFU));
        assertEquals(OptionalInt.of(1), DeviceFilter.parse(null, null, null, "@Option Bytes").altFor(ST_DFU),
                "the wanted name is shortened like the interface strings");
        assertEquals(OptionalInt.of(1), DeviceFilter.parse(null, null, null, "1").altFor(ST_DFU));
        assertFalse(DeviceFilter.parse(null, null, null, "7").matches(ST_DFU));
        assertEquals(OptionalInt.of(0), DeviceFilter.ANY.altFor(ST_DFU));
    }

    @ParameterizedTest(name = "--alt \"{0}\" -> {1}")
    @CsvSource(delimiter = '|', value = {
        "@Internal Flash  /0x08000000/04*016Kg | 0",  // exact
        "@INTERNAL FLASH  /0x08000000/04*016KG | 0",  // ignoring case
        "Internal Flash                        | 0",  // short name, as the CLI accepts with --sim
        "internal flash                        | 0",
        "'  Option Bytes '                     | 1",
        "option                                | 1",  // unique prefix of the short name
        "OTP                                   | 2",
        "O                                     | -1", // prefix of both Option Bytes and OTP Memory: ambiguous
        "Flash                                 | -1", // not a prefix
        "@                                     | -1"})
    void altNamesMatchLikeTheCliDoes(String spec, int expected) {
        DfuDeviceDescription rom = new DfuDeviceDescription(0x0483, 0xdf11, 0x2200, "ST", "STM32  BOOTLOADER", "S", 1, 5,
                "1-2", 1, 0, DfuMode.DFU, List.of(new AltSetting(0, "@Internal Flash  /0x08000000/04*016Kg"),
                        new AltSetting(1, "@Option Bytes  /0x1FFFC000/01*016 e"),
                        new AltSetting(2, "@OTP Memory /0x1FFF7800/01*512 g,01*016 g")),
                null, FunctionalDescriptorSource.NONE, null);
        DeviceFilter f = DeviceFilter.parse(null, null, null, spec);
        assertEquals(expected < 0 ? OptionalInt.empty() : OptionalInt.of(expected), f.altFor(rom));
        assertEquals(expected >= 0, f.matches(rom));
    }

    @Test
    void anExactNameWinsOverAPrefixOfAnotherOne() {
        DfuDeviceDescription d = new DfuDeviceDescription(0x1209, 0x0001, 0x0100, "x", "y", "S", 1, 5, "1-2", 1, 0,
                DfuMode.DFU, List.of(new AltSetting(0, "flash-extra"), new AltSetting(1, "flash")),
                null, FunctionalDescriptorSource.NONE, null);
        assertEquals(OptionalInt.of(1), DeviceFilter.parse(null, null, null, "flash").altFor(d));
        assertEquals(OptionalInt.of(0), DeviceFilter.parse(null, null, null, "flash-e").altFor(d));
    }

    @Test
    void theAltCriterionNeverKeepsARuntimeDeviceFromBeingSelected() {
        // a run-time interface shows nothing of the memories the device offers after DETACH
        for (String alt : List.of("1", "7", "Internal Flash", "no such memory")) {
            DeviceFilter f = DeviceFilter.parse("1234:5678", null, null, alt);
            assertTrue(f.matches(APP_RUNTIME), alt);
            assertTrue(f.matchesIgnoringStrings(APP_RUNTIME), alt);
        }
        assertFalse(DeviceFilter.parse(null, null, null, "7").matches(ST_DFU), "DFU-mode devices still need the alt");
    }

    @Test
    void inaccessibleDevicesNeverMatchStringCriteria() {
        OpenProblem p = new OpenProblem(TransportException.Kind.ACCESS, "denied", new Advice("x", List.of()));
        DfuDeviceDescription hidden = ST_DFU.withOpenProblem(p);
        DeviceFilter bySerial = DeviceFilter.parse(null, "3276365C3432", null, null);
        assertFalse(bySerial.matches(hidden));
        assertTrue(bySerial.matchesIgnoringStrings(hidden));
        assertTrue(DeviceFilter.parse("0483:df11", null, null, "1").matches(hidden), "alt numbers need no strings");
        assertFalse(DeviceFilter.parse(null, null, null, "@Option Bytes  /0x1FFFC000/01*016 e").matches(hidden));
    }

    @Test
    void describeReproducesTheOptions() {
        assertEquals("no filter", DeviceFilter.ANY.describe());
        assertEquals("--device 1234:5678,0483:df11 --serial A,B --path 1-2 --alt 0",
                DeviceFilter.parse("1234:5678,0483:df11", "A,B", "1-2", "0").describe());
        assertEquals("--device ,0483:df11 --alt \"@Internal Flash\"",
                DeviceFilter.parse(",0483:df11", null, null, "@Internal Flash").describe());
    }

    @Test
    void runtimeDevicesAreNamedOnlyOnPurpose() {
        assertFalse(DeviceFilter.ANY.namesRuntimeDevice());
        assertFalse(DeviceFilter.parse(",0483:df11", null, null, "0").namesRuntimeDevice());
        assertTrue(DeviceFilter.parse("1234:5678", null, null, null).namesRuntimeDevice());
        assertTrue(DeviceFilter.parse(null, "APP1", null, null).namesRuntimeDevice());
        assertTrue(DeviceFilter.parse(null, null, "1-4", null).namesRuntimeDevice());
    }
}
