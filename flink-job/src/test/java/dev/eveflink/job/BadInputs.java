package dev.eveflink.job;

import dev.eveflink.operators.avro.DeadLetter;
import dev.eveflink.operators.avro.ImageEvent;
import dev.eveflink.operators.avro.ImageUri;
import dev.eveflink.operators.avro.InlineImage;
import dev.eveflink.operators.avro.Task;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;

/**
 * The bad-input corpus of the job's robustness test (every kind a user has met in the field), and
 * legal extremes that must succeed. Each bad input names the dead-letter error code it must get.
 */
final class BadInputs {
    private BadInputs() {}

    /** A raw Kafka value with the dead-letter code it must produce. */
    record Bad(String key, byte[] value, String expectedCode) {}

    static List<Bad> corpus() {
        Random random = new Random(42);
        byte[] randomBytes = new byte[333];
        random.nextBytes(randomBytes);
        randomBytes[0] = 0x11; // not Avro's single-object marker
        byte[] good = bytes(event("bad-truncated", Task.CAPTION, png(32, 32, BufferedImage.TYPE_3BYTE_BGR), null));
        byte[] validPng = png(48, 48, BufferedImage.TYPE_3BYTE_BGR);
        byte[] corruptPng = validPng.clone();
        for (int i = 60; i < corruptPng.length - 20; i++) {
            corruptPng[i] ^= 0x5a; // scramble IDAT: the CRC and the deflate stream break
        }
        byte[] jpeg = encode(image(64, 48, BufferedImage.TYPE_3BYTE_BGR), "jpg");
        byte[] corruptJpeg = Arrays.copyOf(jpeg, jpeg.length * 3 / 5);
        return List.of(
                new Bad("bad-zero-bytes", new byte[0], "EMPTY_VALUE"),
                new Bad("bad-random-bytes", randomBytes, "UNDECODABLE_VALUE"),
                new Bad("bad-truncated", Arrays.copyOf(good, good.length / 2), "UNDECODABLE_VALUE"),
                new Bad("bad-other-schema", otherSchema(), "UNKNOWN_WRITER_SCHEMA"),
                new Bad("bad-corrupt-png", bytes(event("bad-corrupt-png", Task.CAPTION, corruptPng, null)),
                        "IMAGE_CORRUPT"),
                new Bad("bad-corrupt-jpeg", bytes(event("bad-corrupt-jpeg", Task.CAPTION, corruptJpeg, null)),
                        "IMAGE_CORRUPT"),
                new Bad("bad-png-0x0", bytes(event("bad-png-0x0", Task.CAPTION, pngHeader(0, 0), null)),
                        "IMAGE_ZERO_SIZE"),
                new Bad("bad-png-huge", bytes(event("bad-png-huge", Task.CAPTION, pngHeader(50_000, 50_000), null)),
                        "IMAGE_TOO_MANY_PIXELS"),
                new Bad("bad-over-limit", bytes(event("bad-over-limit", Task.CAPTION, new byte[9 * 1024 * 1024],
                        null)), "IMAGE_TOO_LARGE"),
                new Bad("bad-vqa-no-question", bytes(event("bad-vqa-no-question", Task.VQA, validPng, null)),
                        "MISSING_QUESTION"),
                new Bad("bad-long-question", bytes(event("bad-long-question", Task.VQA, validPng, "why".repeat(
                        34_000).substring(0, 100_000))), "QUESTION_TOO_LONG"),
                new Bad("bad-unknown-policy", bytes(moderate("bad-unknown-policy", validPng,
                        List.of("no-such-policy"))), "MODERATION_UNAVAILABLE"),
                new Bad("bad-uri", bytes(uriEvent("bad-uri", "http://169.254.169.254/latest/meta-data/")),
                        "IMAGE_URI_NOT_ALLOWED"));
    }

    /** Legal extremes: tiny, very wide, grayscale, palette and alpha images. All must succeed. */
    static List<ImageEvent> extremes() {
        return List.of(
                event("edge-1x1", Task.CAPTION, png(1, 1, BufferedImage.TYPE_3BYTE_BGR), null),
                event("edge-banner-4000x40", Task.CAPTION, png(4000, 40, BufferedImage.TYPE_3BYTE_BGR), null),
                event("edge-gray", Task.VQA, png(50, 70, BufferedImage.TYPE_BYTE_GRAY), "what color is the background?"),
                event("edge-palette", Task.CAPTION, encode(paletteImage(60, 40), "png"), null),
                event("edge-alpha", Task.CAPTION, png(72, 56, BufferedImage.TYPE_INT_ARGB), null));
    }

    static ImageEvent event(String id, Task task, byte[] image, String question) {
        return ImageEvent.newBuilder()
                .setId(id)
                .setTimestamp(Instant.parse("2026-01-01T00:00:00Z"))
                .setImage(InlineImage.newBuilder().setData(ByteBuffer.wrap(image)).build())
                .setTask(task)
                .setQuestion(question)
                .setMaxNewTokens(6)
                .build();
    }

    private static ImageEvent moderate(String id, byte[] image, List<String> policies) {
        ImageEvent e = event(id, Task.MODERATE, image, null);
        e.setPolicies(policies);
        return e;
    }

    private static ImageEvent uriEvent(String id, String uri) {
        ImageEvent e = event(id, Task.CAPTION, new byte[0], null);
        e.setImage(ImageUri.newBuilder().setUri(uri).build());
        return e;
    }

    /** A record of another of our schemas: decodable Avro, but not an ImageEvent. */
    private static byte[] otherSchema() {
        DeadLetter other = DeadLetter.newBuilder()
                .setKey(null).setValue(null).setTopic("elsewhere").setPartition(0).setOffset(0L)
                .setErrorCode("X").setErrorMessage("not an image event").setFailedAt(Instant.EPOCH).build();
        try {
            ByteBuffer b = other.toByteBuffer();
            byte[] out = new byte[b.remaining()];
            b.get(out);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] bytes(ImageEvent event) {
        try {
            return JobTestKafka.toBytes(event);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] png(int w, int h, int type) {
        return encode(image(w, h, type), "png");
    }

    private static BufferedImage image(int w, int h, int type) {
        BufferedImage img = new BufferedImage(w, h, type);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, ((x * 7) & 0xff) << 16 | ((y * 5) & 0xff) << 8 | ((x + y) & 0xff) | 0x80000000);
            }
        }
        return img;
    }

    private static BufferedImage paletteImage(int w, int h) {
        byte[] r = {(byte) 220, 40, 40, (byte) 240};
        byte[] g = {40, (byte) 170, 80, (byte) 210};
        byte[] b = {40, 70, (byte) 220, 40};
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_INDEXED, new IndexColorModel(2, 4, r, g, b));
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.getRaster().setSample(x, y, 0, (x / 10 + y / 10) % 4);
            }
        }
        return img;
    }

    private static byte[] encode(BufferedImage img, String format) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            if (!ImageIO.write(img, format, out)) {
                throw new IllegalStateException("no ImageIO writer for " + format);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A PNG signature, an IHDR declaring w x h (8-bit RGB) with a valid CRC, and IEND: no pixels. */
    static byte[] pngHeader(int w, int h) {
        ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(w).putInt(h).put((byte) 8).put((byte) 2).put((byte) 0)
                .put((byte) 0).put((byte) 0);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        chunk(out, "IHDR", ihdr.array());
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        out.writeBytes(t);
        out.writeBytes(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }
}
