package io.github.dfu4j.usbvm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringWriter;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ControlBridgeTest {
    private final FakeRawGadget gadget = new FakeRawGadget();
    private final TinyDfuEndpoint device = new TinyDfuEndpoint();
    private final StringWriter traceText = new StringWriter();
    private ControlBridge bridge;

    @BeforeEach
    void setUp() {
        bridge = new ControlBridge(gadget, device, BridgeTrace.to(traceText));
    }

    /** Delivers one SETUP the way the kernel does (FakeRawGadget.exchange, no OUT data stage). */
    private void setup(int type, int request, int value, int index, int length) {
        gadget.exchange(bridge, type, request, value, index, length, null);
    }

    @Test
    void servesTheDeviceDescriptorItselfCutToWLength() {
        setup(0x80, 6, 0x0100, 0, 64);
        assertArrayEquals(device.deviceDescriptor(), gadget.lastWritten());
        setup(0x80, 6, 0x0100, 0, 8);
        assertArrayEquals(Arrays.copyOf(device.deviceDescriptor(), 8), gadget.lastWritten());
        assertEquals(List.of(), device.calls, "descriptor requests must not reach the endpoint");
    }

    @Test
    void servesTheConfigurationHeaderThenTheWholeDescriptor() {
        setup(0x80, 6, 0x0200, 0, 9);
        assertEquals(9, gadget.lastWritten().length);
        setup(0x80, 6, 0x0200, 0, 0xFF);
        assertArrayEquals(device.configurationDescriptor(), gadget.lastWritten());
    }

    @ParameterizedTest(name = "GET_DESCRIPTOR wValue {0} stalls")
    @CsvSource({"0x0201", "0x0600", "0x0f00", "0x0309", "0x0700"})
    void stallsDescriptorsTheDeviceDoesNotHave(String value) {
        setup(0x80, 6, Integer.decode(value), 0x0409, 0xFF);
        assertEquals(List.of("EP0_STALL"), gadget.ops);
    }

    @Test
    void servesStringsAndTheLanguageList() {
        setup(0x80, 6, 0x0300, 0, 0xFF);
        assertArrayEquals(new byte[] {4, 3, 0x09, 0x04}, gadget.lastWritten());
        setup(0x80, 6, 0x0304, 0x0409, 0xFF);
        assertArrayEquals(device.stringDescriptor(4), gadget.lastWritten());
    }

    @Test
    void endsAShortReplyThatFillsWholePacketsWithAZeroLengthPacket() {
        device.stallEverything = false;
        // UPLOAD of 64 bytes with wLength 128 at the end of memory: 64 = one full packet, then a ZLP.
        setup(0xA1, 2, 127, 0, 128);
        assertEquals("EP0_WRITE 64 zlp", gadget.ops.get(0));
        setup(0xA1, 2, 0, 0, 64);
        assertEquals("EP0_WRITE 64", gadget.ops.get(1), "a reply as long as wLength needs no ZLP");
    }

    @Test
    void setConfigurationReachesTheEndpointThenConfiguresTheUdcThenAcks() {
        setup(0x00, 9, 1, 0, 0);
        assertEquals(List.of("00 09 0001 0000 0 [0]"), device.calls);
        assertEquals(List.of("VBUS_DRAW 50", "CONFIGURE", "EP0_READ 0"), gadget.ops);
    }

    @Test
    void setConfigurationZeroOnlyAcks() {
        setup(0x00, 9, 0, 0, 0);
        assertEquals(List.of("EP0_READ 0"), gadget.ops);
    }

    @Test
    void aStalledSetConfigurationDoesNotConfigure() {
        device.stallEverything = true;
        setup(0x00, 9, 1, 0, 0);
        assertEquals(List.of("EP0_STALL"), gadget.ops);
    }

    @Test
    void outDataStageIsReadThenHandedToTheEndpoint() {
        byte[] block = new byte[TinyDfuEndpoint.TRANSFER];
        Arrays.fill(block, (byte) 0x5A);
        gadget.outData.add(block);
        setup(0x21, 1, 3, 0, block.length);
        assertEquals(List.of("EP0_READ 64"), gadget.ops);
        assertEquals(List.of("21 01 0003 0000 64 [64]"), device.calls);
        assertArrayEquals(block, Arrays.copyOfRange(device.memory, 3 * 64, 4 * 64));
    }

    @Test
    void requestsWithoutDataAreAnsweredAfterTheEndpointAcks() {
        setup(0x21, 4, 0, 0, 0); // CLRSTATUS
        setup(0x01, 11, 0, 0, 0); // SET_INTERFACE
        assertEquals(List.of("EP0_READ 0", "EP0_READ 0"), gadget.ops);
        assertEquals(2, device.calls.size());
    }

    @Test
    void anInRequestWithoutDataStageIsAcknowledgedLikeAnOutRequest() {
        setup(0xA1, 3, 0, 0, 0);
        assertEquals(List.of("EP0_READ 0"), gadget.ops);
    }

    @Test
    void classInRequestsReturnTheEndpointsData() {
        setup(0xA1, 3, 0, 0, 6);
        assertArrayEquals(new byte[] {0, 0, 0, 0, 2, 0}, gadget.lastWritten());
    }

    @Test
    void stallsWhatTheEndpointStalls() {
        device.stallEverything = true;
        setup(0xA1, 3, 0, 0, 6);
        setup(0x21, 4, 0, 0, 0);
        assertEquals(List.of("EP0_STALL", "EP0_STALL"), gadget.ops);
    }

    @Test
    void aDnloadRefusedAfterItsDataStageIsReportedAsDfuErrorByTheNextGetStatus() {
        gadget.outData.add(new byte[64]);
        setup(0x21, 1, 1000, 0, 64); // beyond the tiny memory: the endpoint stalls after seeing the data
        assertEquals(List.of("EP0_READ 64"), gadget.ops, "the data stage was already taken; nothing more to send");
        assertTrue(traceText.toString().contains("LATE-STALL"), traceText.toString());
        int forwarded = device.calls.size();
        setup(0xA1, 3, 0, 0, 6); // the GETSTATUS of that DNLOAD: the failure shows here
        assertArrayEquals(new byte[] {0x0F, 0, 0, 0, 10, 0}, gadget.lastWritten(), "errSTALLEDPKT, dfuERROR");
        setup(0xA1, 5, 0, 0, 1); // GETSTATE
        assertArrayEquals(new byte[] {10}, gadget.lastWritten());
        setup(0x21, 1, 2, 0, 64); // another DNLOAD: stalled before its data stage, as dfuERROR does
        assertEquals("EP0_STALL", gadget.ops.get(gadget.ops.size() - 1));
        setup(0x80, 6, 0x0100, 0, 18); // standard requests are served as usual meanwhile
        assertEquals("EP0_WRITE 18", gadget.ops.get(gadget.ops.size() - 1));
        assertEquals(forwarded, device.calls.size(), "no DFU request reached the endpoint while in dfuERROR");
        setup(0x21, 4, 0, 0, 0); // CLRSTATUS
        assertEquals("EP0_READ 0", gadget.ops.get(gadget.ops.size() - 1));
        assertEquals(List.of("a1 05 0000 0000 1 [0]", "21 04 0000 0000 0 [0]"),
                device.calls.subList(forwarded, device.calls.size()), "the endpoint (in its dfuERROR) was cleared");
        setup(0xA1, 3, 0, 0, 6);
        assertArrayEquals(new byte[] {0, 0, 0, 0, 2, 0}, gadget.lastWritten(), "dfuIDLE, from the endpoint again");
    }

    @Test
    void theReportedDfuErrorEndsWithABusReset() {
        gadget.outData.add(new byte[64]);
        setup(0x21, 1, 1000, 0, 64);
        gadget.events.add(RawGadgetEvent.of(RawGadgetEvent.Kind.RESET));
        try {
            bridge.handle(gadget.fetchEvent());
        } catch (RawGadgetException e) {
            throw new AssertionError(e);
        }
        setup(0xA1, 3, 0, 0, 6);
        assertArrayEquals(new byte[] {0, 0, 0, 0, 2, 0}, gadget.lastWritten());
    }

    @Test
    void servesUntilTheDeviceLeavesTheBus() throws RawGadgetException {
        gadget.events.add(RawGadgetEvent.of(RawGadgetEvent.Kind.CONNECT));
        gadget.queueSetup(0x80, 6, 0x0100, 0, 64);
        gadget.queueSetup(0x00, 9, 1, 0, 0);
        gadget.queueSetup(0x21, 1, 0, 0, 0); // zero-length DNLOAD: leave
        gadget.queueSetup(0xA1, 3, 0, 0, 6); // GETSTATUS -> dfuMANIFEST, device goes
        gadget.queueSetup(0xA1, 3, 0, 0, 6); // never fetched
        assertEquals(ControlBridge.Outcome.LEFT_BUS, bridge.serve());
        assertEquals(1, gadget.events.size());
        assertEquals(7, gadget.lastWritten()[4], "the manifest status reached the host before the device left");
        assertEquals(4, bridge.requests());
        assertTrue(traceText.toString().contains("LEFT-BUS"));
    }

    @Test
    void retriesInterruptedFetchesAndPropagatesOtherFailures() {
        RawGadget interrupting = new FakeRawGadget() {
            int calls;

            @Override
            public RawGadgetEvent fetchEvent() throws RawGadgetException {
                if (calls++ == 0) {
                    throw new RawGadgetException("USB_RAW_IOCTL_EVENT_FETCH", RawGadgetException.EINTR, "signal");
                }
                throw new RawGadgetException("USB_RAW_IOCTL_EVENT_FETCH", RawGadgetException.ENODEV, "gone");
            }
        };
        ControlBridge b = new ControlBridge(interrupting, device, BridgeTrace.none());
        RawGadgetException e = assertThrows(RawGadgetException.class, b::serve);
        assertEquals(RawGadgetException.ENODEV, e.errno());
    }

    @Test
    void anEp0FailureIsTracedAndTheNextRequestIsServed() {
        gadget.failNextEp0WithErrno = RawGadgetException.ESHUTDOWN;
        setup(0xA1, 3, 0, 0, 6);
        setup(0xA1, 3, 0, 0, 6);
        assertEquals("EP0_WRITE 6", gadget.ops.get(gadget.ops.size() - 1));
        assertTrue(traceText.toString().contains("ERROR"), traceText.toString());
    }

    @Test
    void onKernelsWithoutResetEventsReEnumerationOfAConfiguredDeviceIsABusReset() {
        setup(0x80, 6, 0x0100, 0, 64);
        setup(0x00, 9, 1, 0, 0);
        assertEquals(0, device.busResets, "the first enumeration is not a reset");
        setup(0x80, 6, 0x0100, 0, 64);
        assertEquals(1, device.busResets);
        setup(0x80, 6, 0x0100, 0, 18);
        assertEquals(1, device.busResets, "one reset per re-enumeration");
    }

    @Test
    void resetEventsOfNewerKernelsReplaceTheHeuristic() {
        bridge.handle(RawGadgetEvent.of(RawGadgetEvent.Kind.RESET));
        assertEquals(1, device.busResets);
        setup(0x00, 9, 1, 0, 0);
        setup(0x80, 6, 0x0100, 0, 64);
        assertEquals(1, device.busResets, "with real reset events a descriptor read is just a read");
        bridge.handle(RawGadgetEvent.of(RawGadgetEvent.Kind.DISCONNECT));
        assertEquals(2, device.busResets);
    }

    @Test
    void tracesRequestsByName() {
        gadget.outData.add(new byte[] {0x41, 0, 0, 0, 8});
        setup(0x21, 1, 0, 0, 5);
        setup(0xA1, 3, 0, 0, 6);
        String t = traceText.toString();
        assertTrue(t.contains("DNLOAD blk=0 len=5 41 00 00 00 08 -> ack"), t);
        assertTrue(t.contains("GETSTATUS -> 6 bytes 00 00 00 00 05 00"), t);
    }

    @Test
    void rejectsAnEndpointWithoutADeviceDescriptor() {
        TinyDfuEndpoint broken = new TinyDfuEndpoint() {
            @Override
            public byte[] deviceDescriptor() {
                return new byte[] {9, 2};
            }
        };
        assertThrows(IllegalArgumentException.class, () -> new ControlBridge(gadget, broken, BridgeTrace.none()));
    }
}
