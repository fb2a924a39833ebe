package dev.eveflink.model.image;

import java.nio.charset.StandardCharsets;

/**
 * Format and declared size read from the first bytes of an encoded image, without decoding pixels.
 * Lets {@link ImageDecoder} refuse a 50,000 x 50,000 PNG from its 33-byte header.
 *
 * @param format the recognised container
 * @param width declared width, or -1 where the format needs a decoder to tell (WebP)
 * @param height declared height, or -1 likewise
 */
record ImageHeader(Format format, long width, long height) {

    /** The containers we recognise by signature. */
    enum Format {
        PNG("png"), JPEG("jpeg"), GIF("gif"), BMP("bmp"), WEBP("webp");

        private final String imageIoName;

        Format(String imageIoName) {
            this.imageIoName = imageIoName;
        }

        /** The ImageIO format name of the reader to use. */
        String imageIoName() {
            return imageIoName;
        }
    }

    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    boolean sizeKnown() {
        return width >= 0 && height >= 0;
    }

    /** Recognises the format by its signature and reads the declared size. */
    static ImageHeader sniff(byte[] b) throws ImageException {
        if (startsWith(b, PNG_SIGNATURE)) {
            return png(b);
        }
        if (b.length >= 3 && (b[0] & 0xff) == 0xff && (b[1] & 0xff) == 0xd8 && (b[2] & 0xff) == 0xff) {
            return Jpeg.header(b);
        }
        if (startsWith(b, "GIF87a".getBytes(StandardCharsets.US_ASCII))
                || startsWith(b, "GIF89a".getBytes(StandardCharsets.US_ASCII))) {
            need(b, 10, "GIF logical screen descriptor");
            return new ImageHeader(Format.GIF, u16le(b, 6), u16le(b, 8));
        }
        if (b.length >= 2 && b[0] == 'B' && b[1] == 'M') {
            return bmp(b);
        }
        if (b.length >= 12 && b[0] == 'R' && b[1] == 'I' && b[2] == 'F' && b[3] == 'F'
                && b[8] == 'W' && b[9] == 'E' && b[10] == 'B' && b[11] == 'P') {
            return new ImageHeader(Format.WEBP, -1, -1);
        }
        throw new ImageException(ImageErrorCode.UNSUPPORTED_FORMAT,
                "not a PNG, JPEG, GIF, BMP or WebP file (first bytes " + hex(b, 8) + ")");
    }

    private static ImageHeader png(byte[] b) throws ImageException {
        // signature(8) | IHDR length(4) | "IHDR"(4) | width(4 BE) | height(4 BE) | ...
        need(b, 24, "PNG IHDR chunk");
        if (b[12] != 'I' || b[13] != 'H' || b[14] != 'D' || b[15] != 'R') {
            throw new ImageException(ImageErrorCode.CORRUPT, "PNG does not start with an IHDR chunk");
        }
        return new ImageHeader(Format.PNG, u32be(b, 16), u32be(b, 20));
    }

    private static ImageHeader bmp(byte[] b) throws ImageException {
        need(b, 18, "BMP file header");
        long dibSize = u32le(b, 14);
        if (dibSize == 12) { // OS/2 BITMAPCOREHEADER: 16-bit sizes
            need(b, 22, "BMP core header");
            return new ImageHeader(Format.BMP, u16le(b, 18), u16le(b, 20));
        }
        need(b, 26, "BMP info header");
        long w = (int) u32le(b, 18);
        long h = (int) u32le(b, 22);
        if (w < 0) {
            throw new ImageException(ImageErrorCode.CORRUPT, "BMP declares a negative width " + w);
        }
        return new ImageHeader(Format.BMP, w, Math.abs(h)); // negative height = top-down rows
    }

    /** JPEG marker walk up to the first frame header (SOFn). */
    private static final class Jpeg {
        static ImageHeader header(byte[] b) throws ImageException {
            int i = 2;
            while (true) {
                // skip fill bytes, find the next marker
                if (i >= b.length || (b[i] & 0xff) != 0xff) {
                    throw new ImageException(ImageErrorCode.CORRUPT,
                            i >= b.length ? "JPEG ends before its frame header" : "JPEG marker expected at byte " + i);
                }
                while (i < b.length && (b[i] & 0xff) == 0xff) {
                    i++;
                }
                need(b, i + 1, "JPEG marker");
                int marker = b[i] & 0xff;
                i++;
                if (marker == 0xd8 || marker == 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
                    continue; // standalone markers carry no length
                }
                if (marker == 0xd9 || marker == 0xda) {
                    throw new ImageException(ImageErrorCode.CORRUPT, "JPEG has no frame header before its scan");
                }
                need(b, i + 2, "JPEG segment length");
                int len = (int) u16be(b, i);
                if (len < 2) {
                    throw new ImageException(ImageErrorCode.CORRUPT, "JPEG segment length " + len + " at byte " + i);
                }
                boolean sof = marker >= 0xc0 && marker <= 0xcf && marker != 0xc4 && marker != 0xc8 && marker != 0xcc;
                if (sof) {
                    need(b, i + 8, "JPEG frame header");
                    int precision = b[i + 2] & 0xff;
                    long h = u16be(b, i + 3);
                    long w = u16be(b, i + 5);
                    int components = b[i + 7] & 0xff;
                    if (marker > 0xc2) {
                        throw new ImageException(ImageErrorCode.UNSUPPORTED_FORMAT, String.format(
                                "JPEG frame type SOF%d (lossless/arithmetic/hierarchical) is not supported",
                                marker - 0xc0));
                    }
                    if (precision != 8) {
                        throw new ImageException(ImageErrorCode.UNSUPPORTED_FORMAT,
                                "JPEG sample precision " + precision + " (only 8-bit is supported)");
                    }
                    if (components != 1 && components != 3) {
                        throw new ImageException(ImageErrorCode.UNSUPPORTED_FORMAT, "JPEG with " + components
                                + " components (CMYK/YCCK or other) is not supported; only gray and RGB/YCbCr");
                    }
                    return new ImageHeader(Format.JPEG, w, h);
                }
                i += len;
            }
        }
    }

    private static void need(byte[] b, int n, String what) throws ImageException {
        if (b.length < n) {
            throw new ImageException(ImageErrorCode.CORRUPT, "truncated: " + b.length + " bytes end inside the " + what);
        }
    }

    private static boolean startsWith(byte[] b, byte[] prefix) {
        if (b.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (b[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static long u16le(byte[] b, int i) {
        return (b[i] & 0xff) | (b[i + 1] & 0xff) << 8;
    }

    private static long u16be(byte[] b, int i) {
        return (b[i] & 0xff) << 8 | (b[i + 1] & 0xff);
    }

    private static long u32le(byte[] b, int i) {
        return (b[i] & 0xffL) | (b[i + 1] & 0xffL) << 8 | (b[i + 2] & 0xffL) << 16 | (b[i + 3] & 0xffL) << 24;
    }

    private static long u32be(byte[] b, int i) {
        return (b[i] & 0xffL) << 24 | (b[i + 1] & 0xffL) << 16 | (b[i + 2] & 0xffL) << 8 | (b[i + 3] & 0xffL);
    }

    private static String hex(byte[] b, int max) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < Math.min(b.length, max); i++) {
            s.append(String.format("%02x", b[i] & 0xff));
        }
        return s.toString();
    }
}
