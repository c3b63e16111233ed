package io.github.dfu4j.bench.flash;

import io.github.dfu4j.formats.FirmwareImage;
import io.github.dfu4j.ops.DfuDevice;
import io.github.dfu4j.ops.FlashOptions;
import io.github.dfu4j.ops.FlashResult;
import io.github.dfu4j.ops.ProgressListener;
import io.github.dfu4j.sim.SimOptions;
import io.github.dfu4j.sim.SimulatedDevice;
import io.github.dfu4j.sim.SimulatedDevices;
import io.github.dfu4j.stm32.Identification;
import io.github.dfu4j.transport.DfuTransport;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Host CPU of one 1 MiB flash with verification ({@link BenchImage}) on the virtual-time simulator, the
 * way a user meets it: a fresh JVM that flashes once and exits. Each sample forks two JVMs with this
 * class path, one that does nothing and one that flashes, and takes the difference of the process CPU
 * time (user + system, all threads: JIT and GC included) each reports just before it exits; both build
 * the benchmark image and a simulated device first, so the difference is the flash. The figure
 * is the median over the samples. A warm figure (the 5th flash in one JVM, thread CPU of the flashing
 * thread) is printed for comparison. Issue 11 target: cold CPU &lt;= 0.45 s.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.github.dfu4j.bench.flash.FlashCpu [personality] [samples]
 * </pre>
 */
public final class FlashCpu {
    private FlashCpu() {
    }

    static final double TARGET_SECONDS = 0.45;

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("--child")) {
            child(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        String id = args.length > 0 ? args[0] : "stm32f405";
        int samples = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        List<Double> cpu = new ArrayList<>();
        List<Double> wall = new ArrayList<>();
        String requests = "";
        for (int i = 0; i < samples; i++) {
            String[] noop = fork("noop", id);
            String[] flash = fork("flash", id);
            cpu.add(Double.parseDouble(flash[0]) - Double.parseDouble(noop[0]));
            wall.add(Double.parseDouble(flash[1]) - Double.parseDouble(noop[1]));
            requests = flash[2];
        }
        double warm = warm(id);
        double c = median(cpu);
        System.out.printf(Locale.ROOT, "%s, 1 MiB with verify, virtual time, %s requests; %d samples (fresh JVM minus no-op JVM)%n",
                id, requests, samples);
        System.out.printf(Locale.ROOT, "cold CPU %.3f s (samples %s), wall %.3f s; warm CPU %.3f s (5th flash in one JVM); target <= %.2f s %s%n",
                c, fmt(cpu), median(wall), warm, TARGET_SECONDS, c <= TARGET_SECONDS ? "(met)" : "(MISSED)");
        System.out.flush();
    }

    private static String fmt(List<Double> xs) {
        StringBuilder b = new StringBuilder();
        for (double x : xs) {
            b.append(b.length() == 0 ? "" : " ").append(String.format(Locale.ROOT, "%.3f", x));
        }
        return b.toString();
    }

    private static double median(List<Double> xs) {
        double[] a = xs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
    }

    private static String[] fork(String... childArgs) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java",
                "-cp", System.getProperty("java.class.path"), FlashCpu.class.getName(), "--child"));
        cmd.addAll(List.of(childArgs));
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String last = null;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                last = line;
            }
        }
        int rc = p.waitFor();
        double wallSeconds = (System.nanoTime() - t0) / 1e9;
        if (rc != 0 || last == null || !last.startsWith("cpu ")) {
            throw new IllegalStateException("child " + cmd + " ended with " + rc + ": " + last);
        }
        String[] f = last.split(" ");
        return new String[] {f[1], Double.toString(wallSeconds), f.length > 2 ? f[2] : ""};
    }

    private static void child(String[] args) throws Exception {
        long requests = 0;
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        if (args[0].equals("flash")) {
            // the image is the harness's, not dfu4j's: build it before the clock starts (the no-op JVM
            // builds it too, so the difference is the flash alone)
            FirmwareImage image = BenchImage.forDevice(SimulatedDevices.create(args[1]), FlashTimeModel.SEED);
            requests = flashOnce(args[1], image);
        } else {
            BenchImage.forDevice(SimulatedDevices.create(args[1]), FlashTimeModel.SEED);
        }
        System.out.println("cpu " + os.getProcessCpuTime() / 1e9 + " " + requests);
    }

    static long flashOnce(String id, FirmwareImage image) throws Exception {
        SimulatedDevice d = SimulatedDevices.create(id, SimOptions.defaults().withTraceLimit(0));
        DfuTransport t = d.connect();
        FlashResult r;
        try (DfuDevice dev = Identification.identify(t).open(t)) {
            r = dev.download(image, FlashOptions.builder().verify(true).build(), ProgressListener.NONE);
        }
        return r.writes().requests();
    }

    private static double warm(String id) throws Exception {
        var threads = ManagementFactory.getThreadMXBean();
        double last = 0;
        FirmwareImage image = BenchImage.forDevice(SimulatedDevices.create(id), FlashTimeModel.SEED);
        for (int i = 0; i < 5; i++) {
            long t0 = threads.getCurrentThreadCpuTime();
            flashOnce(id, image);
            last = (threads.getCurrentThreadCpuTime() - t0) / 1e9;
        }
        return last;
    }
}
