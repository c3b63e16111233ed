/**
 * The transport-agnostic USB DFU 1.1 / ST DfuSe protocol: the transport SPI, the sans-IO protocol
 * core and driver, memory layouts, the flash planner, the operations facade and record/replay.
 */
module io.github.dfu4j.api {
    requires transitive io.github.dfu4j.formats;
    requires org.slf4j;
    exports io.github.dfu4j.transport;
    exports io.github.dfu4j.dfu;
    // the protocol driver and its exchanges: for the dfu4j modules only (the ops facade is the public way in)
    exports io.github.dfu4j.dfu.internal to io.github.dfu4j.stm32, io.github.dfu4j.libusb;
    exports io.github.dfu4j.layout;
    // the flash planner and its plans: for the dfu4j modules only (FlashResult reports what a plan did)
    exports io.github.dfu4j.plan.internal to io.github.dfu4j.stm32, io.github.dfu4j.libusb;
    exports io.github.dfu4j.ops;
    exports io.github.dfu4j.record;
    uses io.github.dfu4j.ops.DeviceProfileProvider;
}
