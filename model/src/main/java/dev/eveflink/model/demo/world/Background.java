package dev.eveflink.model.demo.world;

/** The three flat backgrounds of the shapes world, with their exact RGB values (shapes-world.md). */
public enum Background {
    WHITE("white", new Rgb(255, 255, 255)),
    GRAY("gray", new Rgb(128, 128, 128)),
    BLACK("black", new Rgb(0, 0, 0));

    private final String word;
    private final Rgb rgb;

    Background(String word, Rgb rgb) {
        this.word = word;
        this.rgb = rgb;
    }

    /** The word used in captions and answers, e.g. {@code gray}. */
    public String word() {
        return word;
    }

    public Rgb rgb() {
        return rgb;
    }
}
