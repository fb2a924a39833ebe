package dev.eveflink.model.image;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Encoded bytes to {@link RgbImage}: PNG, JPEG, GIF (first frame), BMP, and WebP when an ImageIO
 * WebP reader is on the class path.
 *
 * <p>Limits are checked before any pixel is decoded: the encoded size first, then the size the
 * header declares (read by {@link ImageHeader} from the raw bytes, then once more from the ImageIO
 * reader, which for GIF is the first frame's own size). Colours become RGB the way PIL's
 * {@code convert('RGB')} does ({@link PilRgbConversion}). Every failure, including a runtime
 * exception thrown by an ImageIO plugin on hostile input, comes out as an {@link ImageException}.
 *
 * <p>Stateless and thread-safe: each call uses its own reader and an in-memory stream (no ImageIO
 * disk cache).
 *
 * <p>Known differences from PIL: JPEG is decoded by the JDK's libjpeg 6b, whose colour upsampling
 * and YCbCr conversion can differ from libjpeg-turbo by 1 LSB; a GIF whose first frame is smaller than
 * its logical screen is returned at the frame's size (PIL pastes it on a screen-sized image).
 */
public final class ImageDecoder {
    private static final Logger LOG = LoggerFactory.getLogger(ImageDecoder.class);

    private final ImageLimits limits;

    public ImageDecoder(ImageLimits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    /** A decoder with {@link ImageLimits#defaults()}. */
    public ImageDecoder() {
        this(ImageLimits.defaults());
    }

    public ImageLimits limits() {
        return limits;
    }

    /** Decodes one image; never returns null, never throws an unchecked exception for bad input. */
    public RgbImage decode(byte[] encoded) throws ImageException {
        if (encoded == null || encoded.length == 0) {
            throw new ImageException(ImageErrorCode.EMPTY, "no image bytes");
        }
        if (encoded.length > limits.maxEncodedBytes()) {
            throw new ImageException(ImageErrorCode.TOO_MANY_BYTES,
                    encoded.length + " encoded bytes exceed the limit of " + limits.maxEncodedBytes());
        }
        ImageHeader header = ImageHeader.sniff(encoded);
        if (header.sizeKnown()) {
            checkSize(header.format(), header.width(), header.height());
        }
        ImageReader reader = reader(header.format());
        List<String> warnings = new ArrayList<>();
        reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(encoded))) {
            reader.setInput(in, true, true);
            checkSize(header.format(), reader.getWidth(0), reader.getHeight(0));
            BufferedImage image = reader.read(0, reader.getDefaultReadParam());
            if (truncated(warnings)) {
                throw new ImageException(ImageErrorCode.CORRUPT,
                        header.format() + " data is truncated or damaged: " + warnings);
            }
            if (!warnings.isEmpty()) {
                LOG.debug("{} decoded with warnings: {}", header.format(), warnings);
            }
            return PilRgbConversion.toRgb(image);
        } catch (ImageException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            // IIOException for broken streams; plugins also throw IndexOutOfBounds, IllegalArgument,
            // NegativeArraySize ... on hostile input: all of them mean "this file is broken".
            throw new ImageException(ImageErrorCode.CORRUPT,
                    header.format() + " could not be decoded: " + e.getClass().getSimpleName() + ": " + e.getMessage(),
                    e);
        } finally {
            reader.dispose();
        }
    }

    private void checkSize(ImageHeader.Format format, long width, long height) throws ImageException {
        if (width <= 0 || height <= 0) {
            throw new ImageException(ImageErrorCode.ZERO_SIZE,
                    format + " declares a size of " + width + "x" + height);
        }
        if (width * height > limits.maxPixels()) {
            throw new ImageException(ImageErrorCode.TOO_MANY_PIXELS, format + " declares " + width + "x" + height
                    + " = " + width * height + " pixels, over the limit of " + limits.maxPixels());
        }
    }

    private static ImageReader reader(ImageHeader.Format format) throws ImageException {
        Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(format.imageIoName());
        if (!readers.hasNext()) {
            throw new ImageException(ImageErrorCode.UNSUPPORTED_FORMAT,
                    "no ImageIO reader for " + format + " is installed");
        }
        return readers.next();
    }

    /**
     * libjpeg only warns when the scan data ends early and fills the missing rows with gray; PIL refuses
     * such a file ("image file is truncated"), and so do we. A file that only lacks its EOI marker
     * ("Truncated File - Missing EOI marker" alone) has every row and PIL accepts it, so do we; other
     * warnings (e.g. extraneous bytes before a marker) are tolerated too.
     */
    private static boolean truncated(List<String> warnings) {
        for (String w : warnings) {
            if (w.toLowerCase(Locale.ROOT).contains("premature end")) {
                return true;
            }
        }
        return false;
    }
}
