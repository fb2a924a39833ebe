package dev.eveflink.model.image;

/** Why an encoded image was refused; stable codes for result events and dead letters. */
public enum ImageErrorCode {
    /** No bytes at all. */
    EMPTY,
    /** More encoded bytes than {@link ImageLimits#maxEncodedBytes()}. */
    TOO_MANY_BYTES,
    /** The header declares more pixels than {@link ImageLimits#maxPixels()}. */
    TOO_MANY_PIXELS,
    /** The header declares a width or height of 0. */
    ZERO_SIZE,
    /** Not PNG, JPEG, GIF or BMP (or WebP without an ImageIO reader), or a variant we do not decode (CMYK JPEG). */
    UNSUPPORTED_FORMAT,
    /** A recognised format whose data is broken or truncated. */
    CORRUPT
}
