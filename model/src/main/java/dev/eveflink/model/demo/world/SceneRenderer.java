package dev.eveflink.model.demo.world;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Draws a {@link Scene} into pixels and encodes them.
 *
 * <p>Steps: the canvas is filled with the background; each shape is filled flat with its color
 * following {@link ShapeRaster}'s rule (pixel center inside the closed shape, no antialiasing, no
 * outline; boxes never overlap, so order does not matter); then, if the scene is noisy, an integer
 * drawn uniformly from -12..12 is added to every channel of every pixel and clamped to 0..255, the
 * draws taken in row-major order, channels R, G, B, from {@code new WorldRandom(scene.noiseSeed())}.
 * Stateless and thread-safe.
 */
public final class SceneRenderer {

    /** The scene as packed RGB bytes, row-major. */
    public byte[] renderRgb(Scene scene) {
        int width = scene.width();
        int height = scene.height();
        byte[] rgb = new byte[width * height * 3]; // [H, W, 3]
        Rgb background = scene.background().rgb();
        for (int i = 0; i < width * height; i++) {
            put(rgb, i, background);
        }
        for (Shape shape : scene.shapes()) {
            BoundingBox box = shape.box();
            for (int dy = 0; dy < box.size(); dy++) {
                for (int dx = 0; dx < box.size(); dx++) {
                    if (ShapeRaster.covers(shape.kind(), box.size(), dx, dy)) {
                        put(rgb, (box.y() + dy) * width + box.x() + dx, shape.color().rgb());
                    }
                }
            }
        }
        if (scene.noisy()) {
            addNoise(rgb, new WorldRandom(scene.noiseSeed()));
        }
        return rgb;
    }

    /** The scene as a {@link BufferedImage#TYPE_3BYTE_BGR} image. */
    public BufferedImage render(Scene scene) {
        byte[] rgb = renderRgb(scene);
        BufferedImage image = new BufferedImage(scene.width(), scene.height(), BufferedImage.TYPE_3BYTE_BGR);
        byte[] bgr = ((DataBufferByte) image.getRaster().getDataBuffer()).getData(); // [H, W, 3] BGR
        for (int i = 0; i < rgb.length; i += 3) {
            bgr[i] = rgb[i + 2];
            bgr[i + 1] = rgb[i + 1];
            bgr[i + 2] = rgb[i];
        }
        return image;
    }

    /** The scene rendered and encoded as PNG or JPEG bytes. */
    public byte[] encode(Scene scene, Encoding encoding) {
        return encode(render(scene), encoding);
    }

    /** An image encoded as PNG or JPEG bytes; the same image and encoding always give the same bytes. */
    public static byte[] encode(BufferedImage image, Encoding encoding) {
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName(encoding.format().imageIoName());
        if (!writers.hasNext()) {
            throw new IllegalStateException("no ImageIO writer for " + encoding.format());
        }
        ImageWriter writer = writers.next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        // An explicit memory stream: ImageIO's default may spill to a temporary file.
        try (ImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            if (encoding.format() == ImageFormat.JPEG) {
                param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                param.setCompressionQuality(encoding.quality() / 100f);
            }
            writer.write(null, new IIOImage(image, null, null), param);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode " + image.getWidth() + "x" + image.getHeight()
                    + " image as " + encoding, e);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    private static void addNoise(byte[] rgb, WorldRandom noise) {
        int span = 2 * WorldSpec.NOISE_AMPLITUDE + 1;
        for (int i = 0; i < rgb.length; i++) {
            int value = (rgb[i] & 0xFF) + noise.nextInt(span) - WorldSpec.NOISE_AMPLITUDE;
            rgb[i] = (byte) Math.max(0, Math.min(255, value));
        }
    }

    private static void put(byte[] rgb, int pixel, Rgb color) {
        rgb[3 * pixel] = (byte) color.r();
        rgb[3 * pixel + 1] = (byte) color.g();
        rgb[3 * pixel + 2] = (byte) color.b();
    }
}
