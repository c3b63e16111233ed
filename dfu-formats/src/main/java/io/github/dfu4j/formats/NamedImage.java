package io.github.dfu4j.formats;

import java.util.Objects;

/**
 * An image together with the name of the file (or other source) it came from, so that
 * {@link FirmwareImages#merge} can name both inputs when they disagree.
 *
 * @param source file name or other label used in messages
 * @param image  the image read from it
 */
public record NamedImage(String source, FirmwareImage image) {
    /**
     * Checks that both components are present.
     *
     * @param source file name or other label used in messages
     * @param image  the image read from it
     * @throws NullPointerException when {@code source} or {@code image} is {@code null}
     */
    public NamedImage {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(image, "image");
    }
}
