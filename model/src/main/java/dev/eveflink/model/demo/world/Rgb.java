package dev.eveflink.model.demo.world;

/**
 * One 8-bit RGB color of the shapes world.
 *
 * @param r red, 0..255
 * @param g green, 0..255
 * @param b blue, 0..255
 */
public record Rgb(int r, int g, int b) {
    public Rgb {
        if (r < 0 || r > 255 || g < 0 || g > 255 || b < 0 || b > 255) {
            throw new IllegalArgumentException("RGB channels must be in 0..255, got (" + r + ", " + g + ", " + b + ")");
        }
    }
}
