package dev.eveflink.model.demo.world;

import java.util.Objects;

/**
 * How a scene is encoded: PNG (lossless, quality 0) or JPEG with a quality in 85..95.
 *
 * @param format PNG or JPEG
 * @param quality JPEG quality in percent (ImageIO's scale, which follows IJG's); 0 for PNG
 */
public record Encoding(ImageFormat format, int quality) {
    public Encoding {
        Objects.requireNonNull(format, "format");
        if (format == ImageFormat.PNG && quality != 0) {
            throw new IllegalArgumentException("PNG has no quality, got " + quality);
        }
        if (format == ImageFormat.JPEG
                && (quality < WorldSpec.MIN_JPEG_QUALITY || quality > WorldSpec.MAX_JPEG_QUALITY)) {
            throw new IllegalArgumentException("JPEG quality must be in 85..95, got " + quality);
        }
    }

    public static Encoding png() {
        return new Encoding(ImageFormat.PNG, 0);
    }

    public static Encoding jpeg(int quality) {
        return new Encoding(ImageFormat.JPEG, quality);
    }

    /** PNG or JPEG with equal probability; a JPEG quality uniform in 85..95. */
    public static Encoding sample(WorldRandom random) {
        boolean jpeg = random.nextInt(2) == 1;
        int quality = random.nextInt(WorldSpec.MIN_JPEG_QUALITY, WorldSpec.MAX_JPEG_QUALITY);
        return jpeg ? jpeg(quality) : png();
    }
}
