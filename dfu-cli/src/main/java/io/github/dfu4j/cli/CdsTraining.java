package io.github.dfu4j.cli;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Not a command: the training run behind the launchers' class-data-sharing archive (issue 11). The
 * launchers ({@code ./dfu}, the archive's {@code bin/dfu}) run this class once per jar under
 * {@code -XX:ArchiveClassesAtExit}: it runs the commands people start most (version, help, info, a
 * flash onto a simulated STM32F405 with virtual timing, firmware from memory, and an upload from it) inside one JVM and
 * discards their output, and the JVM writes every class they loaded into the archive, parsed and
 * verified, so later runs map them instead of loading them from the jar (JDK 17 dynamic AppCDS,
 * JEP 350). It opens no USB device; the one file it writes is a temporary copy of its firmware, deleted
 * again.
 *
 * <p>picocli's classes are compiled for Java 5 (class file version 49), which a JDK 17 archive
 * cannot hold; they are still loaded from the jar on every run.
 */
public final class CdsTraining {
    private CdsTraining() {
    }

    /**
     * Runs the training commands; exits 0 even if one fails (a failed training only makes a
     * smaller archive).
     *
     * @param args empty, or {@code --usb} to also run {@code dfu list} through the system's libusb (the real-USB
     *             tier trains its archive so: its commands talk to real USB, and the default training must not
     *             touch the USB devices of the machine it runs on)
     */
    public static void main(String[] args) {
        byte[] hex = hexOf(0x0800_0000L, 512).getBytes(StandardCharsets.US_ASCII);
        Interruption.install(new PrintWriter(Writer.nullWriter())); // what DfuCli.main does first
        TerminalWidth.columns();
        run(hex, "--version");
        run(hex, "--help");
        run(hex, "flash", "--help");
        run(hex, "info", "-");
        run(hex, "info", "--json", "-");
        run(hex, "flash", "-", "--sim", "stm32f405", "--sim-time", "virtual");
        run(hex, "bogus"); // the usage-error path with its suggestions
        try { // a firmware file read from disk, as "dfu info FILE" does, and an upload into a file (temporary, deleted)
            Path file = Files.createTempFile("dfu-cds-training", ".hex");
            Path read = Files.createTempFile("dfu-cds-training", ".bin");
            try {
                Files.write(file, hex);
                run(hex, "info", file.toString());
                run(hex, "upload", read.toString(), "--sim", "stm32f405", "--sim-time", "virtual",
                        "--length", "4096");
            } finally {
                Files.deleteIfExists(file);
                Files.deleteIfExists(read);
            }
        } catch (IOException e) {
            // no temporary directory: the archive lacks the file-reading classes, nothing more
        }
        if (java.util.Arrays.asList(args).contains("--usb")) {
            run(hex, "list"); // discovery through JNA and the system's libusb; finds nothing without devices
        }
        run(hex, "-v", "--version"); // last: -v leaves debug logging on for the rest of the JVM
        System.exit(0);
    }

    private static void run(byte[] stdin, String... args) {
        PrintWriter sink = new PrintWriter(Writer.nullWriter());
        try {
            // the public entry main() uses: its terminal-width method reference is created there, and a lambda
            // the training never created is spun again by every run (the help's width does not matter here)
            DfuCli.run(args, new ByteArrayInputStream(stdin), sink, sink);
        } catch (RuntimeException e) {
            // a training command that fails leaves its classes out of the archive, nothing more
        }
    }

    /** {@code length} bytes (a counting pattern) at {@code address} as Intel HEX text. */
    static String hexOf(long address, int length) {
        StringBuilder b = new StringBuilder();
        record(b, 0x04, 0, new byte[] {(byte) (address >>> 24), (byte) (address >>> 16)});
        int offset = (int) (address & 0xFFFF);
        for (int done = 0; done < length; done += 16) {
            byte[] data = new byte[Math.min(16, length - done)];
            for (int i = 0; i < data.length; i++) {
                data[i] = (byte) (done + i);
            }
            record(b, 0x00, offset + done, data);
        }
        record(b, 0x01, 0, new byte[0]);
        return b.toString();
    }

    private static void record(StringBuilder b, int type, int offset, byte[] data) {
        int sum = data.length + (offset >> 8 & 0xFF) + (offset & 0xFF) + type;
        b.append(':').append(String.format("%02X%04X%02X", data.length, offset & 0xFFFF, type));
        for (byte d : data) {
            b.append(String.format("%02X", d & 0xFF));
            sum += d & 0xFF;
        }
        b.append(String.format("%02X", -sum & 0xFF)).append('\n');
    }
}
