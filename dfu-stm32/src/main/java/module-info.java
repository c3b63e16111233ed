/** STM32 profiles, bootloader quirks, option bytes, MicroPython mboot, and simulated DfuSe bootloaders. */
module io.github.dfu4j.stm32 {
    requires transitive io.github.dfu4j.api;
    requires org.slf4j;
    exports io.github.dfu4j.stm32;
    exports io.github.dfu4j.stm32.optionbytes;
    exports io.github.dfu4j.sim;
    provides io.github.dfu4j.ops.DeviceProfileProvider with io.github.dfu4j.stm32.internal.Stm32ProfileProvider;
}
