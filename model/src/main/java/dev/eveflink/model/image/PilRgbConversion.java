package dev.eveflink.model.image;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;

/**
 * Turns a decoded {@link BufferedImage} into RGB bytes the way PIL's {@code Image.convert('RGB')}
 * does, by reading RASTER samples (never Java2D drawing or colour conversion, which would pass gray
 * through a linear colour space and composite alpha).
 *
 * <ul>
 *   <li>palette (IndexColorModel): index looked up in the palette, palette alpha ignored; an index
 *       beyond the palette gives black;</li>
 *   <li>gray (1 colour component): R = G = B = gray;</li>
 *   <li>RGB with or without alpha: the first three bands, alpha dropped (the RGB under alpha 0
 *       survives);</li>
 *   <li>samples narrower than 8 bits (BMP 5/6-bit fields): {@code v * 255 / max} in integers, as
 *       Pillow's BGR;15/BGR;16 unpackers;</li>
 *   <li>16-bit samples: Pillow 9.4 opens 16-bit RGB(A) and gray+alpha PNGs with its ";16B" unpackers,
 *       which keep the HIGH byte ({@code v >> 8}); a 16-bit gray PNG without alpha opens as mode "I"
 *       and {@code convert('RGB')} CLIPS it ({@code min(v, 255)}), so that is what we do too.</li>
 * </ul>
 * Anything else (CMYK, other colour spaces, more than 16 bits) is {@link ImageErrorCode#UNSUPPORTED_FORMAT}.
 */
final class PilRgbConversion {

    private PilRgbConversion() {}

    static RgbImage toRgb(BufferedImage image) throws ImageException {
        ColorModel cm = image.getColorModel();
        Raster raster = image.getRaster();
        int w = raster.getWidth();
        int h = raster.getHeight();
        byte[] rgb = new byte[Math.multiplyExact(Math.multiplyExact(w, h), 3)];
        if (cm instanceof IndexColorModel icm) {
            fromPalette(raster, icm, rgb);
        } else if (cm.getNumColorComponents() == 1 && cm.getColorSpace().getType() == ColorSpace.TYPE_GRAY) {
            fromGray(raster, cm.getComponentSize(0), cm.hasAlpha(), rgb);
        } else if (cm.getNumColorComponents() == 3 && cm.getColorSpace().getType() == ColorSpace.TYPE_RGB) {
            fromRgb(raster, cm, rgb);
        } else {
            throw new ImageException(ImageErrorCode.UNSUPPORTED_FORMAT, "colour model with "
                    + cm.getNumColorComponents() + " components in colour space type "
                    + cm.getColorSpace().getType() + " is not supported (only palette, gray and RGB)");
        }
        return new RgbImage(w, h, rgb);
    }

    private static void fromPalette(Raster raster, IndexColorModel icm, byte[] rgb) {
        int size = icm.getMapSize();
        byte[] r = new byte[size];
        byte[] g = new byte[size];
        byte[] b = new byte[size];
        icm.getReds(r);
        icm.getGreens(g);
        icm.getBlues(b);
        int w = raster.getWidth();
        int[] row = new int[w];
        int o = 0;
        for (int y = 0; y < raster.getHeight(); y++) {
            raster.getSamples(0, y, w, 1, 0, row);
            for (int x = 0; x < w; x++) {
                int idx = row[x];
                if (idx < size) {
                    rgb[o] = r[idx];
                    rgb[o + 1] = g[idx];
                    rgb[o + 2] = b[idx];
                } // else stays 0: black, as an unused palette slot
                o += 3;
            }
        }
    }

    private static void fromGray(Raster raster, int bits, boolean hasAlpha, byte[] rgb) throws ImageException {
        checkBits(bits);
        int w = raster.getWidth();
        int[] row = new int[w];
        int o = 0;
        for (int y = 0; y < raster.getHeight(); y++) {
            raster.getSamples(0, y, w, 1, 0, row);
            for (int x = 0; x < w; x++) {
                // 16-bit gray alone is PIL mode "I" (clipped to 255); gray+alpha is "LA;16B" (high byte)
                byte v = (byte) (bits == 16 && !hasAlpha ? Math.min(row[x], 255) : to8(row[x], bits));
                rgb[o] = v;
                rgb[o + 1] = v;
                rgb[o + 2] = v;
                o += 3;
            }
        }
    }

    private static void fromRgb(Raster raster, ColorModel cm, byte[] rgb) throws ImageException {
        int w = raster.getWidth();
        int[] row = new int[w];
        for (int c = 0; c < 3; c++) {
            int bits = cm.getComponentSize(c);
            checkBits(bits);
            for (int y = 0; y < raster.getHeight(); y++) {
                raster.getSamples(0, y, w, 1, c, row);
                int o = y * w * 3 + c;
                for (int x = 0; x < w; x++) {
                    rgb[o] = (byte) to8(row[x], bits);
                    o += 3;
                }
            }
        }
    }

    private static void checkBits(int bits) throws ImageException {
        if (bits < 1 || bits > 16) {
            throw new ImageException(ImageErrorCode.UNSUPPORTED_FORMAT, bits + "-bit samples are not supported");
        }
    }

    /** One sample of the given width to 0..255 (see the class comment for why each rule). */
    static int to8(int v, int bits) {
        if (bits == 8) {
            return v;
        }
        if (bits > 8) {
            return v >>> (bits - 8);
        }
        return v * 255 / ((1 << bits) - 1);
    }
}
