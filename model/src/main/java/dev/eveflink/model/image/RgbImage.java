package dev.eveflink.model.image;

import java.util.Arrays;
import java.util.Objects;

/**
 * An 8-bit RGB image, interleaved row-major: {@code rgb[(y*width + x)*3 + c]}, shape [H, W, 3].
 *
 * <p>The array is not copied (images can be large): whoever builds an RgbImage hands the array
 * over and must not change it afterwards.
 */
public record RgbImage(int width, int height, byte[] rgb) {

    public RgbImage {
        Objects.requireNonNull(rgb, "rgb");
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("image size must be positive, got " + width + "x" + height);
        }
        long expected = 3L * width * height;
        if (rgb.length != expected) {
            throw new IllegalArgumentException(
                    "rgb has " + rgb.length + " bytes, a " + width + "x" + height + " RGB image needs " + expected);
        }
    }

    /** Channel c (0=R, 1=G, 2=B) at (x, y), 0..255. */
    public int sample(int x, int y, int c) {
        return rgb[(y * width + x) * 3 + c] & 0xff;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RgbImage other
                && width == other.width && height == other.height && Arrays.equals(rgb, other.rgb);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * width + height) + Arrays.hashCode(rgb);
    }

    @Override
    public String toString() {
        return "RgbImage[" + width + "x" + height + "]";
    }
}
