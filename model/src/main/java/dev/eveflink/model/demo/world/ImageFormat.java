package dev.eveflink.model.demo.world;

/** The two image encodings of the world. */
public enum ImageFormat {
    PNG("png", "png"),
    JPEG("jpeg", "jpg");

    private final String imageIoName;
    private final String fileExtension;

    ImageFormat(String imageIoName, String fileExtension) {
        this.imageIoName = imageIoName;
        this.fileExtension = fileExtension;
    }

    /** The ImageIO format name. */
    public String imageIoName() {
        return imageIoName;
    }

    /** The file name extension, without the dot. */
    public String fileExtension() {
        return fileExtension;
    }
}
