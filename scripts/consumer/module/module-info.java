/** The consumer as a named module: dfu4j's libraries on the module path, usb4java nowhere. */
module consumer {
    requires io.github.dfu4j.stm32;
    requires io.github.dfu4j.libusb;
}
