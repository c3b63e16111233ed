package io.github.dfu4j.bench.flash;

import io.github.dfu4j.stm32.internal.Stm32Internals;
import io.github.dfu4j.formats.FirmwareImage;
import io.github.dfu4j.formats.Segment;
import io.github.dfu4j.sim.SimulatedDevice;
import io.github.dfu4j.sim.SimOptions.UsbTiming;
import io.github.dfu4j.stm32.internal.ChipProfile;
import io.github.dfu4j.stm32.internal.FlashMap;
import io.github.dfu4j.stm32.internal.MbootBoard;
import io.github.dfu4j.layout.Sector;
import io.github.dfu4j.stm32.internal.SpiFlash;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The least time any host can need on the simulator's timing model ({@code FlashTiming} typical values
 * and {@link UsbTiming}), the way the simulator charges it:
 * <ul>
 *   <li>erase: every sector (SPI page) the image touches, once;</li>
 *   <li>program: every non-blank transfer-size block, by programming unit (SPI: 256-byte page);</li>
 *   <li>USB: per erase and per non-blank block, the DNLOAD, the GETSTATUS that makes a DfuSe device
 *       execute it and the GETSTATUS that collects the result (AN3156: "a second DFU_GETSTATUS request is
 *       needed"; the device then sits in dfuDNLOAD-SYNC, where the next DNLOAD is refused, so no host can
 *       skip it); nothing else (no SET_ADDRESS, no verify).</li>
 * </ul>
 * (Until 2026-12-02 the floor left the completion GETSTATUS out, which put even a host that sends
 * nothing superfluous ~5% above it on 1 KiB-block ROMs.)
 *
 * @param erase    erase time
 * @param program  programming time
 * @param usb      bus time of the needed requests
 * @param blocks   non-blank blocks
 * @param sectors  sectors / pages erased
 */
record DeviceFloor(Duration erase, Duration program, Duration usb, int blocks, int sectors) {

    Duration total() {
        return erase.plus(program).plus(usb);
    }

    static DeviceFloor of(SimulatedDevice d, FirmwareImage image, int transferSize) {
        ChipProfile chip = Stm32Internals.chipOf(d);
        UsbTiming usb = d.options().usbTiming();
        Duration status = usb.transferTime(6).multipliedBy(2); // start + completion
        Duration erase = Duration.ZERO;
        Duration program = Duration.ZERO;
        Duration bus = Duration.ZERO;
        int blocks = 0;
        int sectors = 0;
        FlashMap map = chip.defaultFlashMap();
        List<SpiFlash> spi = Stm32Internals.mbootBoardOf(d).map(MbootBoard::spiFlash).orElse(List.of());
        for (Segment s : image.segments()) {
            Optional<SpiFlash> zone = spi.stream().filter(z -> z.address() <= s.address() && s.end() <= z.end()).findFirst();
            // erase: the sectors (pages) the segment touches
            if (zone.isPresent()) {
                SpiFlash z = zone.get();
                long first = (s.address() - z.address()) / z.layoutPageSize();
                long last = (s.end() - 1 - z.address()) / z.layoutPageSize();
                for (long p = first; p <= last; p++) {
                    erase = erase.plus(z.erase4k().typical().multipliedBy(z.eraseBytes() / SpiFlash.ERASE_BLOCK));
                    bus = bus.plus(usb.transferTime(5)).plus(status);
                    sectors++;
                }
            } else {
                for (Sector sec : map.sectors()) {
                    if (sec.end() > s.address() && sec.start() < s.end()) {
                        erase = erase.plus(chip.timing().sectorErase((int) sec.size()).orElseThrow().typical());
                        bus = bus.plus(usb.transferTime(5)).plus(status);
                        sectors++;
                    }
                }
            }
            // program + DNLOAD: the non-blank blocks
            byte[] data = s.bytes();
            for (int off = 0; off < data.length; off += transferSize) {
                int n = Math.min(transferSize, data.length - off);
                if (BenchImage.blank(data, off, off + n)) {
                    continue;
                }
                blocks++;
                bus = bus.plus(usb.transferTime(n)).plus(status);
                if (zone.isPresent()) {
                    program = program.plus(zone.get().pageProgram().typical().multipliedBy(units(s.address() + off, n, SpiFlash.PAGE)));
                } else {
                    int unit = chip.programming().unitBytes();
                    program = program.plus(chip.timing().program().typical().multipliedBy(units(s.address() + off, n, unit)));
                }
            }
        }
        return new DeviceFloor(erase, program, bus, blocks, sectors);
    }

    private static long units(long address, int length, int unit) {
        return Math.floorDiv(address + length - 1, unit) - Math.floorDiv(address, unit) + 1;
    }
}
