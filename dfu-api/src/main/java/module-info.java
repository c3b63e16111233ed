/** The transport-agnostic USB DFU 1.1 / ST DfuSe protocol. */
module io.github.dfu4j.api {
    requires transitive io.github.dfu4j.formats;
    requires org.slf4j;
    exports io.github.dfu4j.transport;
}
