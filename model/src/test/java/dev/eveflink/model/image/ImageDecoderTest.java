package dev.eveflink.model.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** Refusals (each with its code) and legal extremes, with images built in the test. */
class ImageDecoderTest {
    private final ImageDecoder decoder = new ImageDecoder();

    // ---- refusals ---------------------------------------------------------------------------

    @Test
    void emptyAndNullAreEmpty() {
        assertCode(() -> decoder.decode(new byte[0]), ImageErrorCode.EMPTY);
        assertCode(() -> decoder.decode(null), ImageErrorCode.EMPTY);
    }

    @Test
    void randomBytesAreUnsupported() {
        byte[] junk = new byte[4096];
        new Random(7).nextBytes(junk);
        junk[0] = 0x42; // 'B' then not 'M': no signature can match by chance
        junk[1] = 0x00;
        assertCode(() -> decoder.decode(junk), ImageErrorCode.UNSUPPORTED_FORMAT);
    }

    @Test
    void truncatedPngIsCorrupt() {
        byte[] png = GoldenImages.GOLDEN.get("c00_grad_shapes_64x64_q0").imageBytes();
        assertCode(() -> decoder.decode(Arrays.copyOf(png, png.length / 2)), ImageErrorCode.CORRUPT);
        assertCode(() -> decoder.decode(Arrays.copyOf(png, 20)), ImageErrorCode.CORRUPT); // inside IHDR
    }

    @Test
    void pngWithDamagedDataIsCorrupt() {
        byte[] png = GoldenImages.GOLDEN.get("c00_grad_shapes_64x64_q0").imageBytes().clone();
        for (int i = png.length / 2; i < png.length / 2 + 64; i++) {
            png[i] ^= 0x5a;
        }
        assertCode(() -> decoder.decode(png), ImageErrorCode.CORRUPT);
    }

    @Test
    void truncatedJpegIsCorrupt() {
        byte[] jpg = GoldenImages.GOLDEN.get("c08_gray_60x90_q0").imageBytes();
        // libjpeg would fill the missing rows with gray and only warn; PIL refuses, so do we
        assertCode(() -> decoder.decode(Arrays.copyOf(jpg, jpg.length * 2 / 3)), ImageErrorCode.CORRUPT);
        assertCode(() -> decoder.decode(Arrays.copyOf(jpg, 10)), ImageErrorCode.CORRUPT);
    }

    @Test
    void jpegWithDamagedHeaderIsCorrupt() {
        byte[] jpg = GoldenImages.GOLDEN.get("c08_gray_60x90_q0").imageBytes().clone();
        Random rnd = new Random(3);
        for (int i = 2; i < Math.min(jpg.length, 300); i++) {
            jpg[i] = (byte) rnd.nextInt();
        }
        jpg[2] = (byte) 0xff; // keep the signature so that the JPEG path is taken
        assertCode(() -> decoder.decode(jpg), ImageErrorCode.CORRUPT);
    }

    @Test
    void jpegMissingOnlyItsEoiMarkerIsAccepted() throws ImageException {
        byte[] jpg = GoldenImages.GOLDEN.get("c08_gray_60x90_q0").imageBytes();
        RgbImage full = decoder.decode(jpg);
        assertThat(decoder.decode(Arrays.copyOf(jpg, jpg.length - 2))).isEqualTo(full);
    }

    @Test
    void cmykJpegIsUnsupported() {
        // SOI, SOF0 with 4 components: refused from the frame header
        byte[] sof = {(byte) 0xff, (byte) 0xd8, (byte) 0xff, (byte) 0xc0, 0, 20, 8, 0, 16, 0, 16, 4,
            1, 0x11, 0, 2, 0x11, 0, 3, 0x11, 0, 4, 0x11, 0};
        assertCode(() -> decoder.decode(sof), ImageErrorCode.UNSUPPORTED_FORMAT);
    }

    @Test
    void pngDeclaringZeroSizeIsRefusedFromItsHeader() {
        assertCode(() -> decoder.decode(handMadePng(0, 0)), ImageErrorCode.ZERO_SIZE);
        assertCode(() -> decoder.decode(handMadePng(10, 0)), ImageErrorCode.ZERO_SIZE);
    }

    @Test
    void pngDeclaring50000x50000IsRefusedFromItsHeader() {
        // the IDAT is 3 bytes of nothing: had the decoder tried to read pixels, the code would be CORRUPT
        ImageException e = assertCode(() -> decoder.decode(handMadePng(50_000, 50_000)),
                ImageErrorCode.TOO_MANY_PIXELS);
        assertThat(e.getMessage()).contains("50000x50000");
    }

    @Test
    void bytesOverTheLimitAreRefused() {
        byte[] png = GoldenImages.GOLDEN.get("c00_grad_shapes_64x64_q0").imageBytes();
        ImageDecoder strict = new ImageDecoder(new ImageLimits(png.length - 1, 1_000_000));
        assertCode(() -> strict.decode(png), ImageErrorCode.TOO_MANY_BYTES);
        ImageDecoder fewPixels = new ImageDecoder(new ImageLimits(1 << 20, 64 * 64 - 1));
        assertCode(() -> fewPixels.decode(png), ImageErrorCode.TOO_MANY_PIXELS);
    }

    @Test
    void webpNeedsAReader() {
        byte[] riff = "RIFF\0\0\0\0WEBPVP8 ".getBytes(StandardCharsets.US_ASCII);
        boolean readerPresent = ImageIO.getImageReadersByFormatName("webp").hasNext();
        assertCode(() -> decoder.decode(riff),
                readerPresent ? ImageErrorCode.CORRUPT : ImageErrorCode.UNSUPPORTED_FORMAT);
    }

    @Test
    void limitsAreValidated() {
        assertThatThrownBy(() -> new ImageLimits(0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ImageLimits(1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ImageLimits(1, Integer.MAX_VALUE)).isInstanceOf(IllegalArgumentException.class);
        assertThat(ImageLimits.defaults()).isEqualTo(new ImageLimits(8L << 20, 40_000_000L));
    }

    // ---- legal extremes ---------------------------------------------------------------------

    @Test
    void onePixelPng() throws ImageException {
        BufferedImage img = new BufferedImage(1, 1, BufferedImage.TYPE_3BYTE_BGR);
        img.getRaster().setPixel(0, 0, new int[] {200, 10, 99});
        RgbImage rgb = decoder.decode(encode(img, "png"));
        assertThat(rgb.rgb()).containsExactly((byte) 200, (byte) 10, (byte) 99);
        PreprocessedImage p = new ImagePreprocessor(GoldenImages.TINY).preprocess(rgb);
        assertThat(p.geometry().fillsCanvas()).isTrue();
        assertThat(p.nVis()).isEqualTo(73);
    }

    @Test
    void wideBannerPngRoundTrips() throws ImageException {
        BufferedImage img = randomRgb(4000, 40, 11);
        RgbImage rgb = decoder.decode(encode(img, "png"));
        assertSamplesEqual(rgb, img);
        PreprocessedImage p = new ImagePreprocessor(GoldenImages.TINY).preprocess(rgb);
        assertThat(p.width()).isEqualTo(64);
        assertThat(p.height()).isEqualTo(8); // one base cell: the thinnest band
    }

    @Test
    void grayscalePngGivesEqualChannels() throws ImageException {
        BufferedImage img = new BufferedImage(33, 17, BufferedImage.TYPE_BYTE_GRAY);
        WritableRaster r = img.getRaster();
        for (int y = 0; y < 17; y++) {
            for (int x = 0; x < 33; x++) {
                r.setSample(x, y, 0, (x * 7 + y * 13) & 0xff);
            }
        }
        RgbImage rgb = decoder.decode(encode(img, "png"));
        for (int y = 0; y < 17; y++) {
            for (int x = 0; x < 33; x++) {
                int g = (x * 7 + y * 13) & 0xff;
                assertThat(new int[] {rgb.sample(x, y, 0), rgb.sample(x, y, 1), rgb.sample(x, y, 2)})
                        .containsExactly(g, g, g);
            }
        }
    }

    @Test
    void palettePngLooksColoursUp() throws ImageException {
        IndexColorModel palette = palette();
        BufferedImage img = new BufferedImage(20, 10, BufferedImage.TYPE_BYTE_INDEXED, palette);
        for (int y = 0; y < 10; y++) {
            for (int x = 0; x < 20; x++) {
                img.getRaster().setSample(x, y, 0, (x + 3 * y) % 16);
            }
        }
        for (String format : new String[] {"png", "gif", "bmp"}) {
            RgbImage rgb = decoder.decode(encode(img, format));
            for (int y = 0; y < 10; y++) {
                for (int x = 0; x < 20; x++) {
                    int idx = (x + 3 * y) % 16;
                    assertThat(new int[] {rgb.sample(x, y, 0), rgb.sample(x, y, 1), rgb.sample(x, y, 2)})
                            .as("%s (%d,%d)", format, x, y)
                            .containsExactly(palette.getRed(idx), palette.getGreen(idx), palette.getBlue(idx));
                }
            }
        }
    }

    @Test
    void rgbaPngDropsAlphaKeepingTheRgbUnderIt() throws ImageException {
        BufferedImage img = new BufferedImage(16, 8, BufferedImage.TYPE_INT_ARGB); // not premultiplied
        WritableRaster r = img.getRaster();
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 16; x++) {
                r.setPixel(x, y, new int[] {x * 15, y * 30, 255 - x * 15, x < 8 ? 0 : 128});
            }
        }
        RgbImage rgb = decoder.decode(encode(img, "png"));
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 16; x++) {
                assertThat(new int[] {rgb.sample(x, y, 0), rgb.sample(x, y, 1), rgb.sample(x, y, 2)})
                        .containsExactly(x * 15, y * 30, 255 - x * 15);
            }
        }
    }

    @Test
    void bmp24Bit() throws ImageException {
        BufferedImage img = randomRgb(31, 7, 5);
        assertSamplesEqual(decoder.decode(encode(img, "bmp")), img);
    }

    @Test
    void sixteenBitPngFollowsPil() throws ImageException {
        // 16-bit RGB: Pillow's RGB;16B unpacker keeps the high byte
        ComponentColorModel rgb16 = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_sRGB), false, false,
                Transparency.OPAQUE, DataBuffer.TYPE_USHORT);
        BufferedImage rgb = new BufferedImage(rgb16, rgb16.createCompatibleWritableRaster(3, 1), false, null);
        int[] samples = {0x0000, 0x00ff, 0x0100, 0x7fff, 0x8000, 0xffff, 0x1234, 0xabcd, 0x00ff};
        rgb.getRaster().setPixels(0, 0, 3, 1, samples);
        RgbImage decodedRgb = decoder.decode(encode(rgb, "png"));
        for (int i = 0; i < samples.length; i++) {
            assertThat(decodedRgb.rgb()[i] & 0xff).isEqualTo(samples[i] >> 8);
        }
        // 16-bit gray: Pillow opens it as mode "I" and convert('RGB') clips to 255
        BufferedImage gray = new BufferedImage(4, 1, BufferedImage.TYPE_USHORT_GRAY);
        int[] g = {0, 200, 255, 40000};
        gray.getRaster().setPixels(0, 0, 4, 1, g);
        RgbImage decodedGray = decoder.decode(encode(gray, "png"));
        for (int x = 0; x < 4; x++) {
            assertThat(decodedGray.sample(x, 0, 0)).isEqualTo(Math.min(g[x], 255));
            assertThat(decodedGray.sample(x, 0, 2)).isEqualTo(Math.min(g[x], 255));
        }
    }

    @Test
    void rgbImageIsValidated() {
        assertThatThrownBy(() -> new RgbImage(2, 2, new byte[11])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("12");
        assertThatThrownBy(() -> new RgbImage(0, 2, new byte[0])).isInstanceOf(IllegalArgumentException.class);
    }

    // ---- helpers ----------------------------------------------------------------------------

    interface Decode {
        Object run() throws ImageException;
    }

    private static ImageException assertCode(Decode decode, ImageErrorCode expected) {
        try {
            decode.run();
        } catch (ImageException e) {
            assertThat(e.code()).as(e.getMessage()).isEqualTo(expected);
            return e;
        }
        throw new AssertionError("expected ImageException " + expected + ", got a decoded image");
    }

    /** A PNG with a valid IHDR (CRC included) for the given size, a 3-byte IDAT and IEND. */
    static byte[] handMadePng(int width, int height) {
        ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(width).putInt(height)
                .put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        chunk(out, "IHDR", ihdr.array());
        chunk(out, "IDAT", new byte[] {0x78, (byte) 0x9c, 0x03});
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
        CRC32 crc = new CRC32();
        crc.update(typeBytes);
        crc.update(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        out.writeBytes(typeBytes);
        out.writeBytes(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    /** 256 entries: the JDK's BMP writer mis-writes 16-colour images (declares 4 bpp, writes bytes). */
    private static IndexColorModel palette() {
        byte[] r = new byte[256];
        byte[] g = new byte[256];
        byte[] b = new byte[256];
        for (int i = 0; i < 256; i++) {
            r[i] = (byte) (i * 16 + 3);
            g[i] = (byte) (255 - i * 9);
            b[i] = (byte) (i * 77);
        }
        return new IndexColorModel(8, 256, r, g, b);
    }

    private static BufferedImage randomRgb(int w, int h, long seed) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        Random rnd = new Random(seed);
        WritableRaster r = img.getRaster();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                r.setPixel(x, y, new int[] {rnd.nextInt(256), rnd.nextInt(256), rnd.nextInt(256)});
            }
        }
        return img;
    }

    private static void assertSamplesEqual(RgbImage rgb, BufferedImage img) {
        assertThat(rgb.width()).isEqualTo(img.getWidth());
        assertThat(rgb.height()).isEqualTo(img.getHeight());
        // raster bands of TYPE_3BYTE_BGR are R, G, B in colour-model order
        int[] written = img.getRaster().getPixels(0, 0, img.getWidth(), img.getHeight(), (int[]) null);
        byte[] expected = new byte[written.length];
        for (int i = 0; i < written.length; i++) {
            expected[i] = (byte) written[i];
        }
        assertThat(rgb.rgb()).isEqualTo(expected);
    }

    static byte[] encode(BufferedImage img, String format) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            if (!ImageIO.write(img, format, out)) {
                throw new IllegalStateException("no ImageIO writer for " + format + " and " + img);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
