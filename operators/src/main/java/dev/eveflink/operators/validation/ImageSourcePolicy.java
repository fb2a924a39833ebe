package dev.eveflink.operators.validation;

import org.apache.flink.util.Preconditions;

import java.io.Serializable;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Where image bytes may come from and how many there may be.
 *
 * <p>{@link #defaults()} allows inline images up to 8 MiB and refuses every URI, so no request can
 * make the job fetch from an address of its choosing (server-side request forgery) unless an
 * operator lists prefixes explicitly.
 *
 * @param maxImageBytes upper bound on the bytes of one image, inline or fetched; default 8 MiB
 * @param allowedUriPrefixes absolute {@code file:}, {@code http:} or {@code https:} URI prefixes,
 *     each ending in '/' so that {@code http://host/} cannot match {@code http://host.evil/};
 *     default empty (every URI refused)
 * @param fetchTimeout connect and read timeout for http(s) fetches; default 10 s
 */
public record ImageSourcePolicy(
        long maxImageBytes, List<String> allowedUriPrefixes, Duration fetchTimeout)
        implements Serializable {

    /** Default {@link #maxImageBytes}: 8 MiB. */
    public static final long DEFAULT_MAX_IMAGE_BYTES = 8L << 20;

    /** Default {@link #fetchTimeout}: 10 s. */
    public static final Duration DEFAULT_FETCH_TIMEOUT = Duration.ofSeconds(10);

    private static final List<String> SCHEMES = List.of("file", "http", "https");

    public ImageSourcePolicy {
        Preconditions.checkArgument(
                maxImageBytes > 0 && maxImageBytes <= Integer.MAX_VALUE - 8,
                "maxImageBytes must be in 1..%s, got %s",
                Integer.MAX_VALUE - 8,
                maxImageBytes);
        Preconditions.checkNotNull(allowedUriPrefixes, "allowedUriPrefixes");
        allowedUriPrefixes = List.copyOf(allowedUriPrefixes);
        for (String prefix : allowedUriPrefixes) {
            checkPrefix(prefix);
        }
        Preconditions.checkArgument(
                fetchTimeout != null && !fetchTimeout.isNegative() && !fetchTimeout.isZero(),
                "fetchTimeout must be positive, got %s",
                fetchTimeout);
    }

    /** 8 MiB, no URI allowed, 10 s fetch timeout. */
    public static ImageSourcePolicy defaults() {
        return new ImageSourcePolicy(DEFAULT_MAX_IMAGE_BYTES, List.of(), DEFAULT_FETCH_TIMEOUT);
    }

    /** A copy with another byte limit. */
    public ImageSourcePolicy withMaxImageBytes(long maxImageBytes) {
        return new ImageSourcePolicy(maxImageBytes, allowedUriPrefixes, fetchTimeout);
    }

    /** A copy with another allow-list. */
    public ImageSourcePolicy withAllowedUriPrefixes(List<String> allowedUriPrefixes) {
        return new ImageSourcePolicy(maxImageBytes, allowedUriPrefixes, fetchTimeout);
    }

    /** A copy with another fetch timeout. */
    public ImageSourcePolicy withFetchTimeout(Duration fetchTimeout) {
        return new ImageSourcePolicy(maxImageBytes, allowedUriPrefixes, fetchTimeout);
    }

    /** The supported URI schemes, lower case. */
    static List<String> supportedSchemes() {
        return SCHEMES;
    }

    /** True when the (normalized, absolute) URI string starts with an allowed prefix. */
    boolean allows(String normalizedUri) {
        for (String prefix : allowedUriPrefixes) {
            if (normalizedUri.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    private static void checkPrefix(String prefix) {
        Preconditions.checkArgument(
                prefix != null && prefix.endsWith("/"),
                "allowedUriPrefixes entry must end with '/', got '%s'",
                prefix);
        URI uri;
        try {
            uri = new URI(prefix);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(
                    "allowedUriPrefixes entry is not a URI: '" + prefix + "'", e);
        }
        Preconditions.checkArgument(
                uri.isAbsolute()
                        && SCHEMES.contains(uri.getScheme().toLowerCase(Locale.ROOT))
                        && uri.getRawUserInfo() == null
                        && uri.normalize().toString().equals(prefix),
                "allowedUriPrefixes entry must be a normalized absolute file:, http: or https: URI"
                        + " without user info, got '%s'",
                prefix);
    }
}
