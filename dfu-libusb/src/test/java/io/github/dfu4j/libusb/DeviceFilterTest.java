package io.github.dfu4j.libusb;

import io.github.dfu4j.libusb.DeviceFilter.UsbIds;
import io.github.dfu4j.libusb.DfuDeviceDescription.OpenProblem;
import io.github.dfu4j.libusb.DfuDeviceDescription.DfuMode;
import io.github.dfu4j.libusb.DfuDeviceDescription.FunctionalDescriptorSource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dfu4j.transport.AltSetting;
import io.github.dfu4j.transport.DeviceInfo;
import io.github.dfu4j.transport.TransportException;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DeviceFilterTest {

    static DfuDeviceDescription device(int vid, int pid, DfuMode mode, String serial, String path) {
        return new DfuDeviceDescription(new DeviceInfo(vid, pid, 0x2200, "ST", "STM32  BOOTLOADER", serial, path,
                mode == DfuMode.DFU), 1, 5, 1, 0,
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
        DeviceFilter f = DeviceFilter.builder().vidPid(spec.strip()).build();
        assertEquals(runtime, f.runtimeIds().toString());
        assertEquals(dfu.equals("(null)") ? null : dfu, f.dfuIds() == null ? null : f.dfuIds().toString());
        assertEquals(runtimeGiven, f.runtimeIdsGiven());
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
        "VID_PID | 0483          | 4  | expected VID:PID",
        "VID_PID | 0483:xyz      | 5  | product id \"xyz\" is not a hexadecimal number",
        "VID_PID | 04830:df11    | 0  | vendor id \"04830\" is not a 16-bit hexadecimal number",
        "VID_PID | a:b,c:d,e:f   | 7  | at most two VID:PID pairs",
        "VID_PID | 1:2,0483:dfgg | 11 | product id \"dfgg\" is not a hexadecimal number",
        "PATH    | 1-2.x         | 4  | expected BUS-PORT[.PORT...]",
        "PATH    | usb1          | 4  | expected BUS-PORT[.PORT...]",
        "ALT     | 256           | 0  | alt setting 256 is not in 0..255"})
    void syntaxErrorsNameFieldValueAndOffset(DeviceFilter.Field field, String value, int offset, String reason) {
        DeviceFilterSyntaxException e = assertThrows(DeviceFilterSyntaxException.class, () -> {
            switch (field) {
                case VID_PID -> DeviceFilter.builder().vidPid(value).build();
                case PATH -> DeviceFilter.builder().path(value).build();
                default -> DeviceFilter.builder().alt(value).build();
            }
        });
        assertEquals(field, e.field());
        assertEquals(offset, e.offset(), e.getMessage());
        assertTrue(e.reason().contains(reason), e.reason());
        assertTrue(e.getMessage().startsWith(field.label() + " \"" + value + "\": offset " + offset + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(reason), e.getMessage());
    }

    @Test
    void blankOptionsMeanNotGiven() {
        assertEquals(DeviceFilter.ANY, DeviceFilter.builder().serial(" ").path("").build());
    }

    @Test
    void serialPairsSplitByMode() {
        DeviceFilter both = DeviceFilter.builder().serial("ABC").build();
        assertEquals("ABC", both.runtimeSerial());
        assertEquals("ABC", both.dfuSerial());
        DeviceFilter dfuOnly = DeviceFilter.builder().serial(",XYZ").build();
        assertNull(dfuOnly.runtimeSerial());
        assertEquals("XYZ", dfuOnly.dfuSerial());
        assertTrue(dfuOnly.matches(device(0x0483, 0xdf11, DfuMode.DFU, "XYZ", "1-1")));
        assertFalse(dfuOnly.matches(ST_DFU));
    }

    @Test
    void idsApplyPerMode() {
        DeviceFilter f = DeviceFilter.builder().vidPid("1234:5678,0483:df11").build();
        assertTrue(f.matches(APP_RUNTIME));
        assertTrue(f.matches(ST_DFU));
        assertFalse(f.matches(device(0x1234, 0x5678, DfuMode.DFU, "", "1-1")));
        DeviceFilter one = DeviceFilter.builder().vidPid("0483:df11").build();
        assertFalse(one.matches(APP_RUNTIME));
        assertEquals(UsbIds.ANY, one.dfuIdsAfterDetach(), "one pair: any DFU-mode IDs after a detach");
        assertEquals("0483:df11", f.dfuIdsAfterDetach().toString());
        DeviceFilter dfuOnly = DeviceFilter.builder().vidPid(",0483:df11").build();
        assertFalse(dfuOnly.matches(device(0x0483, 0xdf11, DfuMode.RUNTIME, "", "1-1")));
    }

    @Test
    void pathAndAltSelectors() {
        assertTrue(DeviceFilter.builder().path("1-2.3").build().matches(ST_DFU));
        assertFalse(DeviceFilter.builder().path("1-2").build().matches(ST_DFU));
        DeviceFilter byName = DeviceFilter.builder().alt("@Option Bytes /0x1FFFC000/01*016 e").build();
        assertEquals(OptionalInt.of(1), byName.altFor(ST_DFU));
        assertTrue(byName.matches(ST_DFU));
        assertEquals(OptionalInt.of(1), DeviceFilter.builder().alt("@Option Bytes").build().altFor(ST_DFU),
                "the wanted name is shortened like the interface strings");
        assertEquals(OptionalInt.of(1), DeviceFilter.builder().alt("1").build().altFor(ST_DFU));
        assertFalse(DeviceFilter.builder().alt("7").build().matches(ST_DFU));
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
        DfuDeviceDescription rom = new DfuDeviceDescription(new DeviceInfo(0x0483, 0xdf11, 0x2200, "ST",
                "STM32  BOOTLOADER", "S", "1-2", true), 1, 5, 1, 0, List.of(new AltSetting(0, "@Internal Flash  /0x08000000/04*016Kg"),
                        new AltSetting(1, "@Option Bytes  /0x1FFFC000/01*016 e"),
                        new AltSetting(2, "@OTP Memory /0x1FFF7800/01*512 g,01*016 g")),
                null, FunctionalDescriptorSource.NONE, null);
        DeviceFilter f = DeviceFilter.builder().alt(spec).build();
        assertEquals(expected < 0 ? OptionalInt.empty() : OptionalInt.of(expected), f.altFor(rom));
        assertEquals(expected >= 0, f.matches(rom));
    }

    @Test
    void anExactNameWinsOverAPrefixOfAnotherOne() {
        DfuDeviceDescription d = new DfuDeviceDescription(new DeviceInfo(0x1209, 0x0001, 0x0100, "x", "y", "S", "1-2",
                true), 1, 5, 1, 0, List.of(new AltSetting(0, "flash-extra"), new AltSetting(1, "flash")),
                null, FunctionalDescriptorSource.NONE, null);
        assertEquals(OptionalInt.of(1), DeviceFilter.builder().alt("flash").build().altFor(d));
        assertEquals(OptionalInt.of(0), DeviceFilter.builder().alt("flash-e").build().altFor(d));
    }

    @Test
    void theAltCriterionNeverKeepsARuntimeDeviceFromBeingSelected() {
        // a run-time interface shows nothing of the memories the device offers after DETACH
        for (String alt : List.of("1", "7", "Internal Flash", "no such memory")) {
            DeviceFilter f = DeviceFilter.builder().vidPid("1234:5678").alt(alt).build();
            assertTrue(f.matches(APP_RUNTIME), alt);
            assertTrue(f.matchesIgnoringStrings(APP_RUNTIME), alt);
        }
        assertFalse(DeviceFilter.builder().alt("7").build().matches(ST_DFU), "DFU-mode devices still need the alt");
    }

    @Test
    void inaccessibleDevicesNeverMatchStringCriteria() {
        OpenProblem p = new OpenProblem(TransportException.Kind.ACCESS, "denied", new Advice("x", List.of()));
        DfuDeviceDescription hidden = ST_DFU.withOpenProblem(p);
        DeviceFilter bySerial = DeviceFilter.builder().serial("3276365C3432").build();
        assertFalse(bySerial.matches(hidden));
        assertTrue(bySerial.matchesIgnoringStrings(hidden));
        assertTrue(DeviceFilter.builder().vidPid("0483:df11").alt("1").build().matches(hidden), "alt numbers need no strings");
        assertFalse(DeviceFilter.builder().alt("@Option Bytes /0x1FFFC000/01*016 e").build().matches(hidden));
    }

    @Test
    void describeNamesTheCriteriaInTheBuildersTerms() {
        assertEquals("no filter", DeviceFilter.ANY.describe());
        assertEquals("VID:PID 1234:5678,0483:df11, serial A,B, port path 1-2, alt setting 0",
                DeviceFilter.builder().vidPid("1234:5678,0483:df11").serial("A,B").path("1-2").alt("0").build().describe());
        assertEquals("VID:PID ,0483:df11, alt setting \"@Internal Flash\"",
                DeviceFilter.builder().vidPid(",0483:df11").alt("@Internal Flash").build().describe());
    }

    @Test
    void runtimeDevicesAreNamedOnlyOnPurpose() {
        assertFalse(DeviceFilter.ANY.namesRuntimeDevice());
        assertFalse(DeviceFilter.builder().vidPid(",0483:df11").alt("0").build().namesRuntimeDevice());
        assertTrue(DeviceFilter.builder().vidPid("1234:5678").build().namesRuntimeDevice());
        assertTrue(DeviceFilter.builder().serial("APP1").build().namesRuntimeDevice());
        assertTrue(DeviceFilter.builder().path("1-4").build().namesRuntimeDevice());
    }
}
