package dev.eveflink.model.image;

/**
 * Upper bounds checked before any pixel is decoded, so that a hostile or oversized upload costs a
 * header read, not a decode.
 *
 * @param maxEncodedBytes largest accepted encoded file, in bytes
 * @param maxPixels largest accepted declared width*height
 */
public record ImageLimits(long maxEncodedBytes, long maxPixels) {

    /** 8 MiB of encoded bytes. */
    public static final long DEFAULT_MAX_ENCODED_BYTES = 8L * 1024 * 1024;
    /** 40 megapixels (120 MB as RGB bytes). */
    public static final long DEFAULT_MAX_PIXELS = 40_000_000L;
    /** RgbImage keeps w*h*3 bytes in one Java array. */
    private static final long ARRAY_PIXEL_CEILING = (Integer.MAX_VALUE - 8) / 3;

    public ImageLimits {
        if (maxEncodedBytes <= 0) {
            throw new IllegalArgumentException("maxEncodedBytes must be > 0, got " + maxEncodedBytes);
        }
        if (maxPixels <= 0 || maxPixels > ARRAY_PIXEL_CEILING) {
            throw new IllegalArgumentException(
                    "maxPixels must be in 1.." + ARRAY_PIXEL_CEILING + " (one RGB byte array), got " + maxPixels);
        }
    }

    /** 8 MiB, 40 megapixels. */
    public static ImageLimits defaults() {
        return new ImageLimits(DEFAULT_MAX_ENCODED_BYTES, DEFAULT_MAX_PIXELS);
    }
}
