package io.github.dfu4j.cli;

import io.github.dfu4j.formats.FirmwareFileInfo;
import io.github.dfu4j.formats.FirmwareFiles;
import io.github.dfu4j.formats.FirmwareFormat;
import io.github.dfu4j.formats.ReadOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code dfu info FILE}: what a firmware file contains; also the validation command (bad file: exit 3). */
@Command(name = "info", description = "Show what a firmware file contains (format, segments, entry point, DFU suffix, DfuSe targets). "
        + "Exits 3 when the file is invalid, so it doubles as a validator.")
final class InfoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "A .dfu, .hex, .srec, .elf or .bin file; - reads standard input.")
    Path file;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Option(names = "--format", description = "Read as this format instead of detecting it: ${COMPLETION-CANDIDATES}.")
    FirmwareFormat format;

    @Option(names = "--base", converter = Numbers.class, paramLabel = "ADDR",
            description = "Load address of a raw binary (default 0x08000000).")
    Long base;

    @Override
    public Integer call() throws IOException {
        return run(spec.commandLine().getOut());
    }

    /** Shows the file, printing to {@code out}; also run without picocli for the common command lines (QuickInfo). */
    int run(PrintWriter out) throws IOException {
        ReadOptions options = ReadOptions.defaults();
        if (format != null) {
            options = options.toBuilder().format(format).build();
        }
        if (base != null) {
            options = options.toBuilder().baseAddress(base).build();
        }
        Inputs.Input input = new Inputs.Input(file.toString().equals("-") ? null : file, OptionalLong.empty(), OptionalInt.empty());
        FirmwareFileInfo info = Inputs.inspect(input, options);
        if (json) {
            out.println(Json.write(toJson(info)));
        } else {
            printText(info, out);
        }
        return ExitCode.OK;
    }

    static Map<String, Object> toJson(FirmwareFileInfo info) {
        Map<String, Object> root = Json.object();
        root.put("file", info.source());
        root.put("format", info.format().name());
        root.put("fileSize", info.fileSize());
        root.put("totalBytes", info.image().totalBytes());
        List<Object> segments = new ArrayList<>();
        for (FirmwareFileInfo.SegmentInfo s : info.segments()) {
            Map<String, Object> seg = Json.object();
            seg.put("address", Json.hex(s.address()));
            seg.put("length", s.length());
            seg.put("end", Json.hex(s.end()));
            s.target().ifPresent(t -> {
                seg.put("alt", t.altSetting());
                seg.put("targetName", t.name());
            });
            segments.add(seg);
        }
        root.put("segments", segments);
        root.put("entryPoint", info.entryPoint().isPresent() ? Json.hex(info.entryPoint().getAsLong()) : null);
        info.binaryBase().ifPresent(b -> root.put("binaryBase", Json.hex(b)));
        info.suffix().ifPresent(sfx -> {
            Map<String, Object> m = Json.object();
            m.put("bcdDevice", "0x" + Hex.of(sfx.fields().bcdDevice(), 4));
            m.put("idProduct", "0x" + Hex.of(sfx.fields().idProduct(), 4));
            m.put("idVendor", "0x" + Hex.of(sfx.fields().idVendor(), 4));
            m.put("bcdDFU", "0x" + Hex.of(sfx.fields().bcdDfu(), 4));
            m.put("crc", "0x" + Hex.of(sfx.crc(), 8));
            root.put("suffix", m);
        });
        info.dfuse().ifPresent(d -> {
            Map<String, Object> m = Json.object();
            m.put("imageSize", d.imageSize());
            m.put("imageSizeIncludesSuffix", d.imageSizeIncludesSuffix());
            List<Object> targets = new ArrayList<>();
            for (FirmwareFileInfo.TargetInfo t : d.targets()) {
                Map<String, Object> tm = Json.object();
                tm.put("alt", t.altSetting());
                tm.put("name", t.name());
                tm.put("named", t.named());
                tm.put("size", t.size());
                List<Object> elements = new ArrayList<>();
                for (FirmwareFileInfo.ElementInfo e : t.elements()) {
                    Map<String, Object> em = Json.object();
                    em.put("address", Json.hex(e.address()));
                    em.put("size", e.size());
                    em.put("end", Json.hex(e.end()));
                    elements.add(em);
                }
                tm.put("elements", elements);
                targets.add(tm);
            }
            m.put("targets", targets);
            root.put("dfuse", m);
        });
        return root;
    }

    /** The text report; concatenated, not printf: see {@link Hex} (the lines are those of the former format strings). */
    private static void printText(FirmwareFileInfo info, PrintWriter out) {
        out.println("File:        " + info.source() + " (" + info.fileSize() + " bytes)");
        out.println("Format:      " + info.format().displayName());
        info.binaryBase().ifPresent(b -> out.println("Base:        0x" + Hex.of(b, 8)));
        out.println("Data:        " + info.image().totalBytes() + " bytes in " + info.segments().size() + " segment(s)");
        for (FirmwareFileInfo.SegmentInfo s : info.segments()) {
            out.println("  0x" + Hex.of(s.address(), 8) + "..0x" + Hex.of(s.end(), 8) + "  " + Hex.right(s.length(), 9) + " bytes"
                    + s.target().map(t -> "  alt " + t.altSetting() + (t.name().isEmpty() ? "" : " \"" + t.name() + "\"")).orElse(""));
        }
        out.println("Entry point: " + (info.entryPoint().isPresent() ? "0x" + Hex.of(info.entryPoint().getAsLong(), 8) : "(none)"));
        if (info.suffix().isPresent()) {
            FirmwareFileInfo.SuffixInfo sfx = info.suffix().get();
            out.println("DFU suffix:  VID 0x" + Hex.of(sfx.fields().idVendor(), 4) + " PID 0x" + Hex.of(sfx.fields().idProduct(), 4)
                    + " bcdDevice 0x" + Hex.of(sfx.fields().bcdDevice(), 4) + " bcdDFU 0x" + Hex.of(sfx.fields().bcdDfu(), 4)
                    + " CRC 0x" + Hex.of(sfx.crc(), 8) + " (ok)");
        } else {
            out.println("DFU suffix:  (none)");
        }
        info.dfuse().ifPresent(d -> {
            out.println("DfuSe:       " + d.targets().size() + " target(s), DFUImageSize " + d.imageSize() + " ("
                    + (d.imageSizeIncludesSuffix() ? "including" : "excluding") + " the suffix)");
            for (FirmwareFileInfo.TargetInfo t : d.targets()) {
                out.println("  target alt " + t.altSetting() + " \"" + t.name() + "\"" + (t.named() ? "" : " (unnamed)") + ": "
                        + t.elements().size() + " element(s), " + t.size() + " bytes");
                for (FirmwareFileInfo.ElementInfo e : t.elements()) {
                    out.println("    element 0x" + Hex.of(e.address(), 8) + "..0x" + Hex.of(e.end(), 8) + "  " + Hex.right(e.size(), 9)
                            + " bytes");
                }
            }
        });
    }
}
