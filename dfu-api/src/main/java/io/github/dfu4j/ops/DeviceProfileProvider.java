package io.github.dfu4j.ops;

import io.github.dfu4j.transport.DfuTransport;
import java.util.Optional;

/**
 * A plug-in that recognises devices and supplies their {@link DeviceProfile}, found through
 * {@link java.util.ServiceLoader}: a module declares {@code provides io.github.dfu4j.ops.DeviceProfileProvider
 * with ...} (and {@code META-INF/services} for the class path). dfu-stm32 provides one for the ST ROM
 * bootloaders and MicroPython's mboot, so with dfu-stm32 present {@link DfuDevice#open(DfuTransport)}
 * flashes an STM32 with its own profile without naming it.
 *
 * <pre>{@code
 * DeviceProfile p = DeviceProfile.forTransport(transport);   // the first provider that knows it, else generic()
 * }</pre>
 */
public interface DeviceProfileProvider {

    /**
     * The profile for the device behind {@code transport}, or empty when this provider does not know it.
     * Decides from what the transport already knows (identity, alt-setting names, functional
     * descriptor) and sends nothing to the device.
     */
    Optional<DeviceProfile> profileFor(DfuTransport transport);
}
