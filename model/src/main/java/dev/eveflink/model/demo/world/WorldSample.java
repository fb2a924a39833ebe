package dev.eveflink.model.demo.world;

import java.util.Arrays;
import java.util.Objects;

/**
 * One generated example: the scene, its encoded image and its truth.
 *
 * @param seed the world seed it was drawn from
 * @param index its index within that seed
 * @param scene what is drawn
 * @param encoding how the image is encoded
 * @param image the encoded PNG or JPEG bytes (copied in and out: a sample is immutable)
 * @param truth caption, questions and answers, policy decisions
 */
public record WorldSample(long seed, int index, Scene scene, Encoding encoding, byte[] image, GroundTruth truth) {
    public WorldSample {
        Objects.requireNonNull(scene, "scene");
        Objects.requireNonNull(encoding, "encoding");
        Objects.requireNonNull(truth, "truth");
        image = Objects.requireNonNull(image, "image").clone();
        if (index < 0) {
            throw new IllegalArgumentException("index must be >= 0, got " + index);
        }
    }

    @Override
    public byte[] image() {
        return image.clone();
    }

    /** A stable name: the index, zero-padded to six digits. */
    public String id() {
        return String.format("%06d", index);
    }

    /** The file name of the image: {@code id() + "." + extension}. */
    public String fileName() {
        return id() + "." + encoding.format().fileExtension();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WorldSample other && seed == other.seed && index == other.index
                && scene.equals(other.scene) && encoding.equals(other.encoding)
                && Arrays.equals(image, other.image) && truth.equals(other.truth);
    }

    @Override
    public int hashCode() {
        return Objects.hash(seed, index, scene, encoding, Arrays.hashCode(image), truth);
    }

    @Override
    public String toString() {
        return "WorldSample[seed=" + seed + ", index=" + index + ", " + encoding + ", " + image.length + " bytes, '"
                + truth.caption() + "']";
    }
}
