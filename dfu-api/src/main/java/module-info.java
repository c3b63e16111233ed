/**
 * The transport-agnostic USB DFU 1.1 / ST DfuSe protocol: the transport SPI, the sans-IO protocol
 * core and driver, memory layouts, the flash planner, the operations facade and record/replay.
 */
module io.github.dfu4j.api {
    requires transitive io.github.dfu4j.formats;
    requires org.slf4j;
    exports io.github.dfu4j.transport;
    exports io.github.dfu4j.dfu;
    exports io.github.dfu4j.layout;
    exports io.github.dfu4j.plan;
    exports io.github.dfu4j.ops;
    exports io.github.dfu4j.record;
    uses io.github.dfu4j.ops.DeviceProfileProvider;
}
