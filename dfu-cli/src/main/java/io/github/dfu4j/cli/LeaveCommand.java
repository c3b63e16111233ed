package io.github.dfu4j.cli;

import io.github.dfu4j.ops.DfuDevice;
import io.github.dfu4j.ops.LeaveResult;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code dfu leave [--address A]}: leave DFU mode and start the application. */
// the exit-code rules are in the help footer (ExitCode.FOOTERS)
@Command(name = "leave", description = {"Leave DFU mode and start the application (F0/F4/F7 ROMs: vector table address; H7 ROMs: reset handler address)."})
final class LeaveCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    DeviceOptions deviceOptions = new DeviceOptions();

    @Option(names = "--address", converter = Numbers.class, paramLabel = "ADDR",
            description = "Jump address sent before leaving. Default: what the bootloader needs - H7 ROMs: the reset handler read from"
                    + " the application's vector table in flash (refused when that flash is blank); F0/F4/F7 ROMs: the flash start"
                    + " (the vector table); mboot: none (it resets).")
    Long address;

    @Mixin
    WaitApp waitApp = new WaitApp();

    @Option(names = "--json", description = "Print the result as one JSON object.")
    boolean json;

    @Override
    public Integer call() throws IOException {
        Duration appTimeout = waitApp.timeout(deviceOptions);
        LeaveResult result;
        WaitApp.AppStart app = null;
        Map<String, Object> deviceJson;
        try (DeviceSession session = DeviceSession.open(deviceOptions, null)) {
            deviceJson = session.identityJson();
            DfuDevice device = session.own(Profiles.open(session.transport(), deviceOptions, spec.commandLine().getErr(), json));
            // --wait-app watches the port itself, from the end of the leave, for whatever comes back
            result = device.leave(address == null ? OptionalLong.empty() : OptionalLong.of(address),
                    appTimeout != null ? Duration.ZERO : session.leaveWait());
            if (appTimeout != null) {
                app = WaitApp.await(result, session, appTimeout);
            }
        }
        if (json) {
            Map<String, Object> m = FlashReport.leaveJson(result);
            m.put("device", deviceJson);
            if (app != null) {
                m.put("application", app.toJson());
            }
            spec.commandLine().getOut().println(Json.write(m));
        } else {
            FlashReport.printLeave(result, FlashReport.LeaveContext.LEAVE_ONLY, spec.commandLine().getOut(), spec.commandLine().getErr());
            if (app != null) {
                app.print(spec.commandLine().getOut(), spec.commandLine().getErr());
            }
        }
        // leaving is this command's whole job: a device that did not leave (came back, stayed) is a failure
        return result.left() && (app == null || app.started()) ? ExitCode.OK : ExitCode.DEVICE_FAILURE;
    }
}
