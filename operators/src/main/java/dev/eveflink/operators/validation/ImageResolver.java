package dev.eveflink.operators.validation;

import dev.eveflink.operators.avro.ImageEvent;
import dev.eveflink.operators.avro.ImageUri;
import dev.eveflink.operators.avro.InlineImage;
import dev.eveflink.operators.errors.ErrorCode;
import dev.eveflink.operators.errors.Outcome;

import org.apache.flink.util.Preconditions;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Returns the encoded image bytes of an {@link ImageEvent} under an {@link ImageSourcePolicy}.
 *
 * <p>Inline bytes are checked against the byte limit. A URI is fetched only when its normalized
 * form starts with an allowed prefix ({@code file:} paths are also checked after resolving symbolic
 * links, and http(s) redirects are never followed, so neither can leave the allow-list); the fetch
 * reads at most limit + 1 bytes. Every problem is returned as a typed error, never thrown. Not
 * thread-safe: create one per task (e.g. in {@code open}).
 */
public final class ImageResolver {

    /** What may be read. */
    private final ImageSourcePolicy policy;

    /** Created on first http(s) fetch: most jobs never fetch. */
    private HttpClient httpClient;

    /** A resolver enforcing {@code policy}. */
    public ImageResolver(ImageSourcePolicy policy) {
        this.policy = Preconditions.checkNotNull(policy, "policy");
    }

    /** The image bytes of {@code event}, or why there are none. */
    public Outcome<byte[]> resolve(ImageEvent event) {
        Object image = event.getImage();
        if (image instanceof InlineImage inline) {
            return checkInline(event.getId(), inline.getData());
        }
        if (image instanceof ImageUri uri) {
            return fetch(event.getId(), uri.getUri());
        }
        return Outcome.failed(
                ErrorCode.MISSING_IMAGE,
                "event " + event.getId() + " has no image (got " + describe(image) + ")");
    }

    private Outcome<byte[]> checkInline(String id, ByteBuffer data) {
        if (data == null || data.remaining() == 0) {
            return Outcome.failed(
                    ErrorCode.IMAGE_EMPTY, "event " + id + " has an empty inline image");
        }
        if (data.remaining() > policy.maxImageBytes()) {
            return tooLarge(id, "inline image has " + data.remaining() + " bytes");
        }
        byte[] bytes = new byte[data.remaining()];
        data.duplicate().get(bytes);
        return Outcome.ok(bytes);
    }

    private Outcome<byte[]> fetch(String id, String text) {
        URI uri;
        try {
            uri = new URI(text).normalize();
        } catch (URISyntaxException | NullPointerException e) {
            return Outcome.failed(
                    ErrorCode.INVALID_IMAGE_URI,
                    "event " + id + ": invalid image URI '" + text + "'");
        }
        if (!uri.isAbsolute() || uri.isOpaque()) {
            return Outcome.failed(
                    ErrorCode.INVALID_IMAGE_URI,
                    "event "
                            + id
                            + ": image URI must be absolute and hierarchical, got '"
                            + text
                            + "'");
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        if (!ImageSourcePolicy.supportedSchemes().contains(scheme)) {
            return Outcome.failed(
                    ErrorCode.UNSUPPORTED_URI_SCHEME,
                    "event "
                            + id
                            + ": image URI scheme '"
                            + scheme
                            + "' is not file, http or https");
        }
        if (uri.getRawUserInfo() != null || !policy.allows(uri.toString())) {
            return notAllowed(id, text);
        }
        return scheme.equals("file") ? readFile(id, uri, text) : readHttp(id, uri);
    }

    private Outcome<byte[]> readFile(String id, URI uri, String text) {
        Path real;
        try {
            real = Path.of(uri).toRealPath();
        } catch (IOException | RuntimeException e) {
            return fetchFailed(id, uri, e);
        }
        // A symbolic link inside an allowed directory must not lead outside it.
        if (!policy.allows(real.toUri().normalize().toString())) {
            return notAllowed(id, text + " (resolves to " + real + ")");
        }
        try (InputStream in = Files.newInputStream(real)) {
            return readBounded(id, in);
        } catch (IOException | RuntimeException e) {
            return fetchFailed(id, uri, e);
        }
    }

    private Outcome<byte[]> readHttp(String id, URI uri) {
        try {
            HttpRequest request =
                    HttpRequest.newBuilder(uri).timeout(policy.fetchTimeout()).GET().build();
            HttpResponse<InputStream> response =
                    httpClient().send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = response.body()) {
                if (response.statusCode() != 200) {
                    return Outcome.failed(
                            ErrorCode.IMAGE_FETCH_FAILED,
                            "event " + id + ": GET " + uri + " answered " + response.statusCode());
                }
                long declared = response.headers().firstValueAsLong("Content-Length").orElse(-1);
                if (declared > policy.maxImageBytes()) {
                    return tooLarge(id, uri + " declares " + declared + " bytes");
                }
                return readBounded(id, in);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fetchFailed(id, uri, e);
        } catch (IOException | RuntimeException e) {
            return fetchFailed(id, uri, e);
        }
    }

    private Outcome<byte[]> readBounded(String id, InputStream in) throws IOException {
        // Read one byte past the limit to tell "exactly at the limit" from "over it".
        byte[] bytes = in.readNBytes((int) policy.maxImageBytes() + 1);
        if (bytes.length > policy.maxImageBytes()) {
            return tooLarge(id, "image has more than " + policy.maxImageBytes() + " bytes");
        }
        if (bytes.length == 0) {
            return Outcome.failed(
                    ErrorCode.IMAGE_EMPTY, "event " + id + ": fetched image is empty");
        }
        return Outcome.ok(bytes);
    }

    private HttpClient httpClient() {
        if (httpClient == null) {
            httpClient =
                    HttpClient.newBuilder()
                            .connectTimeout(policy.fetchTimeout())
                            .followRedirects(HttpClient.Redirect.NEVER)
                            .build();
        }
        return httpClient;
    }

    private Outcome<byte[]> tooLarge(String id, String what) {
        return Outcome.failed(
                ErrorCode.IMAGE_TOO_LARGE,
                "event " + id + ": " + what + ", limit is " + policy.maxImageBytes());
    }

    private static Outcome<byte[]> notAllowed(String id, String uri) {
        return Outcome.failed(
                ErrorCode.IMAGE_URI_NOT_ALLOWED,
                "event " + id + ": image URI '" + uri + "' matches no allowed prefix");
    }

    private static Outcome<byte[]> fetchFailed(String id, URI uri, Exception e) {
        return Outcome.failed(
                ErrorCode.IMAGE_FETCH_FAILED, "event " + id + ": cannot read " + uri + ": " + e);
    }

    private static String describe(Object image) {
        return image == null ? "null" : image.getClass().getName();
    }
}
