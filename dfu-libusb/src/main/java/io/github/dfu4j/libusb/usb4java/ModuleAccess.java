package io.github.dfu4j.libusb.usb4java;

/**
 * Lets this module see usb4java when usb4java sits on the class path while dfu-libusb is a named
 * module on the module path. usb4java 1.3.0 must stay on the class path (its native loader cannot
 * find its libraries inside modules), and a named module does not read the unnamed module unless
 * it asks: {@link Module#addReads} is the module's own, reflection-free way to ask. On the class
 * path (everything in the unnamed module) this is a no-op.
 */
final class ModuleAccess {
    private static final String PROBE = "org.usb4java.LibUsb";

    private ModuleAccess() {
    }

    /** True when org.usb4java classes can be linked from this module; loads no native code. */
    static boolean canReachUsb4java() {
        Module self = ModuleAccess.class.getModule();
        ClassLoader loader = ModuleAccess.class.getClassLoader();
        Class<?> probe;
        try {
            // initialize=false: LibUsb's static initialiser is what loads the JNI library
            probe = Class.forName(PROBE, false, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
        Module target = probe.getModule();
        if (self.isNamed() && !self.canRead(target)) {
            self.addReads(target);
        }
        return true;
    }
}
