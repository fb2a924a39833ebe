package dev.eveflink.operators.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;

import dev.eveflink.operators.avro.ImageEvent;
import dev.eveflink.operators.errors.ErrorCode;
import dev.eveflink.operators.errors.Outcome;
import dev.eveflink.operators.testutils.ImageEvents;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

class ImageResolverTest {

    @TempDir Path dir;
    private HttpServer http;
    private String base;

    @BeforeEach
    void startHttp() throws Exception {
        http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        http.createContext("/img/small.png", ex -> respond(ex, 200, new byte[] {1, 2, 3}));
        http.createContext("/img/big.png", ex -> respond(ex, 200, new byte[100]));
        http.createContext("/img/missing.png", ex -> respond(ex, 404, new byte[0]));
        http.createContext(
                "/img/redirect.png",
                ex -> {
                    ex.getResponseHeaders().add("Location", base + "/secret/x");
                    respond(ex, 302, new byte[0]);
                });
        http.start();
        base = "http://127.0.0.1:" + http.getAddress().getPort();
    }

    @AfterEach
    void stopHttp() {
        http.stop(0);
    }

    private static void respond(com.sun.net.httpserver.HttpExchange ex, int status, byte[] body)
            throws java.io.IOException {
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    @Test
    void inlineBytesWithinTheLimitAreReturned() {
        ImageResolver resolver =
                new ImageResolver(ImageSourcePolicy.defaults().withMaxImageBytes(3));
        Outcome<byte[]> out = resolver.resolve(ImageEvents.caption("a", new byte[] {7, 8, 9}));
        assertThat(out.value()).containsExactly(7, 8, 9);
    }

    @Test
    void inlineBytesOverTheLimitOrEmptyAreRefused() {
        ImageResolver resolver =
                new ImageResolver(ImageSourcePolicy.defaults().withMaxImageBytes(3));
        assertThat(resolver.resolve(ImageEvents.caption("a", new byte[4])).error().code())
                .isEqualTo(ErrorCode.IMAGE_TOO_LARGE);
        assertThat(resolver.resolve(ImageEvents.caption("a", new byte[0])).error().code())
                .isEqualTo(ErrorCode.IMAGE_EMPTY);
    }

    @Test
    void defaultPolicyRefusesEveryUri() throws Exception {
        Path file = Files.write(dir.resolve("x.png"), new byte[] {1});
        ImageResolver resolver = new ImageResolver(ImageSourcePolicy.defaults());
        assertThat(ImageSourcePolicy.defaults().maxImageBytes()).isEqualTo(8L * 1024 * 1024);
        for (String uri :
                List.of(
                        file.toUri().toString(),
                        base + "/img/small.png",
                        "https://example.com/a.png")) {
            assertThat(resolver.resolve(byUri(uri)).error().code())
                    .as(uri)
                    .isEqualTo(ErrorCode.IMAGE_URI_NOT_ALLOWED);
        }
    }

    @Test
    void allowedFileIsReadAndTraversalOrSymlinkEscapeIsRefused() throws Exception {
        Path allowed = Files.createDirectory(dir.resolve("images"));
        Files.write(allowed.resolve("ok.png"), new byte[] {5, 6});
        Path secret = Files.write(dir.resolve("secret.txt"), new byte[] {66});
        Files.createSymbolicLink(allowed.resolve("link.png"), secret);
        String prefix = allowed.toRealPath().toUri().toString();
        ImageResolver resolver =
                new ImageResolver(
                        ImageSourcePolicy.defaults().withAllowedUriPrefixes(List.of(prefix)));

        assertThat(resolver.resolve(byUri(prefix + "ok.png")).value()).containsExactly(5, 6);
        assertThat(resolver.resolve(byUri(prefix + "../secret.txt")).error().code())
                .isEqualTo(ErrorCode.IMAGE_URI_NOT_ALLOWED);
        assertThat(resolver.resolve(byUri(prefix + "link.png")).error().code())
                .isEqualTo(ErrorCode.IMAGE_URI_NOT_ALLOWED);
        assertThat(resolver.resolve(byUri(prefix + "absent.png")).error().code())
                .isEqualTo(ErrorCode.IMAGE_FETCH_FAILED);
    }

    @Test
    void fileOverTheLimitIsRefused() throws Exception {
        Files.write(dir.resolve("big.png"), new byte[11]);
        String prefix = dir.toRealPath().toUri().toString();
        ImageResolver resolver =
                new ImageResolver(
                        ImageSourcePolicy.defaults()
                                .withMaxImageBytes(10)
                                .withAllowedUriPrefixes(List.of(prefix)));
        assertThat(resolver.resolve(byUri(prefix + "big.png")).error().code())
                .isEqualTo(ErrorCode.IMAGE_TOO_LARGE);
    }

    @Test
    void allowedHttpIsFetchedWithTheSameLimitAndNoRedirects() {
        ImageResolver resolver =
                new ImageResolver(
                        ImageSourcePolicy.defaults()
                                .withMaxImageBytes(50)
                                .withAllowedUriPrefixes(List.of(base + "/img/")));
        assertThat(resolver.resolve(byUri(base + "/img/small.png")).value())
                .containsExactly(1, 2, 3);
        assertThat(resolver.resolve(byUri(base + "/img/big.png")).error().code())
                .isEqualTo(ErrorCode.IMAGE_TOO_LARGE);
        assertThat(resolver.resolve(byUri(base + "/img/missing.png")).error().code())
                .isEqualTo(ErrorCode.IMAGE_FETCH_FAILED);
        assertThat(resolver.resolve(byUri(base + "/img/redirect.png")).error().code())
                .isEqualTo(ErrorCode.IMAGE_FETCH_FAILED);
        assertThat(resolver.resolve(byUri(base + "/other/x.png")).error().code())
                .isEqualTo(ErrorCode.IMAGE_URI_NOT_ALLOWED);
        assertThat(resolver.resolve(byUri(base + "/img/../other/x.png")).error().code())
                .isEqualTo(ErrorCode.IMAGE_URI_NOT_ALLOWED);
    }

    @Test
    void malformedOrForeignUrisGetTheirOwnCodes() {
        ImageResolver resolver =
                new ImageResolver(
                        ImageSourcePolicy.defaults()
                                .withAllowedUriPrefixes(List.of("http://images.internal/")));
        assertThat(resolver.resolve(byUri("ht tp://bad")).error().code())
                .isEqualTo(ErrorCode.INVALID_IMAGE_URI);
        assertThat(resolver.resolve(byUri("relative/x.png")).error().code())
                .isEqualTo(ErrorCode.INVALID_IMAGE_URI);
        assertThat(resolver.resolve(byUri("ftp://images.internal/x.png")).error().code())
                .isEqualTo(ErrorCode.UNSUPPORTED_URI_SCHEME);
        assertThat(
                        resolver.resolve(byUri("http://images.internal@evil.example/x.png"))
                                .error()
                                .code())
                .isEqualTo(ErrorCode.IMAGE_URI_NOT_ALLOWED);
        assertThat(
                        resolver.resolve(byUri("http://images.internal.evil.example/x.png"))
                                .error()
                                .code())
                .isEqualTo(ErrorCode.IMAGE_URI_NOT_ALLOWED);
    }

    @Test
    void policyRefusesPrefixesThatCouldMatchTooMuch() {
        assertThatThrownBy(
                        () ->
                                ImageSourcePolicy.defaults()
                                        .withAllowedUriPrefixes(List.of("http://images.internal")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("http://images.internal");
        assertThatThrownBy(
                        () ->
                                ImageSourcePolicy.defaults()
                                        .withAllowedUriPrefixes(List.of("gopher://h/")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ImageSourcePolicy.defaults().withMaxImageBytes(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxImageBytes");
    }

    private static ImageEvent byUri(String uri) {
        return ImageEvents.vqaByUri("ev-1", uri, "What?");
    }
}
