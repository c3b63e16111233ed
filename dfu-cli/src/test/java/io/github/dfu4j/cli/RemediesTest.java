package io.github.dfu4j.cli;

import io.github.dfu4j.dfu.DfuException;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dfu4j.libusb.DeviceFilter;
import io.github.dfu4j.libusb.DeviceFilterSyntaxException;
import io.github.dfu4j.libusb.UsbException;
import io.github.dfu4j.ops.Remedy;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The CLI words the library's typed remedies with its own flags, replacing the API terms. */
class RemediesTest {

    @Test
    void aForceRefusalNamesTheCliFlagInsteadOfTheApiOption() {
        DfuException e = DfuException.planOutsideLayout("0x08100000 is outside the memory layout", 0x08100000L);
        String m = Remedies.message(e);
        assertEquals(e.messageWithoutRemedy() + "; add --allow-outside-layout to write anyway", m);
        assertFalse(m.contains("use force"), m);
        DfuException plain = DfuException.plan("no layout for alt 3");
        assertEquals(plain.getMessage(), Remedies.message(plain));
    }

    @Test
    void aMissingLeaveAddressNamesTheLeaveCommand() {
        DfuException e = DfuException.leaveAddress("no application: the vector table is blank", 0x08000000L);
        String m = Remedies.message(e);
        assertTrue(m.endsWith("(dfu leave --address ADDR)"), m);
        assertFalse(m.contains("DfuDevice.leave"), m);
        assertTrue(e.getMessage().contains("DfuDevice.leave"), "the API's own message names the API: " + e.getMessage());
    }

    @Test
    void aFilterSyntaxErrorNamesTheCliOption() {
        DeviceFilterSyntaxException e = assertThrows(DeviceFilterSyntaxException.class,
                () -> DeviceFilter.builder().vidPid("0483:xyz").build());
        assertEquals("--device \"0483:xyz\": offset 5: product id \"xyz\" is not a hexadecimal number", Remedies.message(e));
        DeviceFilterSyntaxException alt = assertThrows(DeviceFilterSyntaxException.class,
                () -> DeviceFilter.builder().alt("300").build());
        assertTrue(Remedies.message(alt).startsWith("--alt \"300\": offset 0: "), Remedies.message(alt));
    }

    @Test
    void anAmbiguousSelectionNamesOnlyTheFlagsThatCanPickOne() {
        UsbException e = UsbException.selection(UsbException.Problem.AMBIGUOUS,
                "More than one DFU device matches no filter (2)", Remedy.of(Remedy.Kind.NARROW_SELECTION, "path"),
                List.of("  a", "  b"), List.of(), null);
        assertEquals("More than one DFU device matches no filter (2); pick one with --path PATH, or flash them all at once"
                + " with --all:" + System.lineSeparator() + "  a" + System.lineSeparator() + "  b", Remedies.message(e));
    }

    @ParameterizedTest
    @EnumSource(Remedy.Kind.class)
    void everyRemedyHasCliWordsAndApiWordsWithoutFlags(Remedy.Kind kind) {
        Remedy r = Remedy.of(kind, "serial", "path");
        assertFalse(Remedies.advice(r).isBlank());
        assertFalse(LibraryNamesNoFlagTest.FLAG.matcher(r.describe()).find(), r.describe());
        assertFalse(LibraryNamesNoFlagTest.dfuCommand().matcher(r.describe()).find(), r.describe());
    }
}
