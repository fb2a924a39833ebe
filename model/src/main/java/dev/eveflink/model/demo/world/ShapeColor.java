package dev.eveflink.model.demo.world;

/** The six shape colors of the shapes world, with their exact RGB values (shapes-world.md). */
public enum ShapeColor {
    RED("red", new Rgb(220, 40, 40)),
    GREEN("green", new Rgb(40, 170, 70)),
    BLUE("blue", new Rgb(40, 80, 220)),
    YELLOW("yellow", new Rgb(240, 210, 40)),
    PURPLE("purple", new Rgb(140, 60, 180)),
    ORANGE("orange", new Rgb(245, 140, 30));

    private final String word;
    private final Rgb rgb;

    ShapeColor(String word, Rgb rgb) {
        this.word = word;
        this.rgb = rgb;
    }

    /** The word used in captions and answers, e.g. {@code orange}. */
    public String word() {
        return word;
    }

    public Rgb rgb() {
        return rgb;
    }
}
