package io.github.dfu4j.formats;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What {@code dfu info FILE} shows: the format, the segments, the entry point, the DFU suffix and,
 * for DfuSe files, the target/element structure as stored. Returned by
 * {@link FirmwareFiles#inspect(java.nio.file.Path)}.
 *
 * @param source      file name or label
 * @param format      the format it was read as
 * @param fileSize    bytes in the file
 * @param image       the image read
 * @param segments    one entry per segment of {@code image}
 * @param entryPoint  entry point, if the file has one
 * @param suffix      the DFU suffix, if the file has a valid one
 * @param dfuse       DfuSe structure, for DfuSe files
 * @param binaryBase  base address used, for raw binaries
 */
public record FirmwareFileInfo(String source, FirmwareFormat format, long fileSize, FirmwareImage image,
                               List<SegmentInfo> segments, OptionalLong entryPoint, Optional<SuffixInfo> suffix,
                               Optional<DfuseInfo> dfuse, OptionalLong binaryBase) {
    /**
     * Checks that no component is {@code null} (absent facts are empty optionals) and copies
     * {@code segments}.
     *
     * @param source      file name or label
     * @param format      the format it was read as
     * @param fileSize    bytes in the file
     * @param image       the image read
     * @param segments    one entry per segment of {@code image}
     * @param entryPoint  entry point, if the file has one
     * @param suffix      the DFU suffix, if the file has a valid one
     * @param dfuse       DfuSe structure, for DfuSe files
     * @param binaryBase  base address used, for raw binaries
     * @throws NullPointerException when a component is {@code null}
     */
    public FirmwareFileInfo {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(image, "image");
        segments = List.copyOf(segments);
        Objects.requireNonNull(entryPoint, "entryPoint");
        Objects.requireNonNull(suffix, "suffix");
        Objects.requireNonNull(dfuse, "dfuse");
        Objects.requireNonNull(binaryBase, "binaryBase");
    }

    /**
     * One segment.
     *
     * @param address first address
     * @param length  bytes
     * @param end     address one past the last byte
     * @param target  DfuSe target, if bound to one
     */
    public record SegmentInfo(long address, long length, long end, Optional<DfuseTarget> target) {
        static SegmentInfo of(Segment s) {
            return new SegmentInfo(s.address(), s.length(), s.end(), s.target());
        }
    }

    /**
     * The DFU suffix fields and its (verified) CRC.
     *
     * @param fields bcdDevice, idProduct, idVendor, bcdDFU
     * @param crc    dwCRC
     */
    public record SuffixInfo(DfuSuffix fields, long crc) {
    }

    /**
     * A DfuSe file's structure.
     *
     * @param imageSize               DFUImageSize as stored
     * @param imageSizeIncludesSuffix whether it counted the suffix
     * @param targets                 targets in file order
     */
    public record DfuseInfo(long imageSize, boolean imageSizeIncludesSuffix, List<TargetInfo> targets) {
        /**
         * Copies {@code targets} into an unmodifiable list.
         *
         * @param imageSize               DFUImageSize as stored
         * @param imageSizeIncludesSuffix whether it counted the suffix
         * @param targets                 targets in file order
         * @throws NullPointerException when {@code targets} or one of its entries is {@code null}
         */
        public DfuseInfo {
            targets = List.copyOf(targets);
        }
    }

    /**
     * One DfuSe target.
     *
     * @param altSetting bAlternateSetting
     * @param name       szTargetName ("" when not named)
     * @param named      bTargetNamed
     * @param size       dwTargetSize
     * @param elements   elements in file order (zero-size ones included)
     */
    public record TargetInfo(int altSetting, String name, boolean named, long size, List<ElementInfo> elements) {
        /**
         * Copies {@code elements} into an unmodifiable list.
         *
         * @param altSetting bAlternateSetting
         * @param name       szTargetName ("" when not named)
         * @param named      bTargetNamed
         * @param size       dwTargetSize
         * @param elements   elements in file order (zero-size ones included)
         * @throws NullPointerException when {@code elements} or one of its entries is {@code null}
         */
        public TargetInfo {
            elements = List.copyOf(elements);
        }
    }

    /**
     * One DfuSe element.
     *
     * @param address dwElementAddress
     * @param size    dwElementSize
     * @param end     address + size
     */
    public record ElementInfo(long address, long size, long end) {
    }
}
