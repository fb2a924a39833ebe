package dev.eveflink.model.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eveflink.model.config.PreprocessorConfig;
import dev.eveflink.model.generate.FinishReason;
import dev.eveflink.model.generate.SamplingParams;
import dev.eveflink.model.image.ImageLimits;
import dev.eveflink.model.image.ImagePipeline;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The engine's threads and futures over the scripted fake model (no sleeps: futures and latches). */
@Timeout(60)
class EngineTest {
    /** A small valid geometry: 64-pixel canvas, 32-pixel base grid. */
    private static final PreprocessorConfig IMAGES = new PreprocessorConfig(64, 32, 4, 2, 8,
            PreprocessorConfig.CLIP_MEAN, PreprocessorConfig.CLIP_STD, 1 / 255.0);
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    private final VirtualClock clock = new VirtualClock();
    private final FakeSlotModel model = new FakeSlotModel(4, 256, clock);
    private final List<String> workerEvents = new ArrayList<>();
    private Engine engine;
    /** Opened after each test, so a failed assertion never leaves the worker parked in a gated decode. */
    private final CountDownLatch gate = new CountDownLatch(1);
    private final CountDownLatch inDecode = new CountDownLatch(1);

    private Engine start(EngineOptions options) {
        engine = Engine.start(() -> {
            workerEvents.add("create on " + Thread.currentThread().getName());
            return model;
        }, new FakeTokenizer(), new ImagePipeline(IMAGES, options.imageLimits()), options, clock,
                Clock.fixed(NOW, ZoneOffset.UTC),
                () -> workerEvents.add("init on " + Thread.currentThread().getName()));
        return engine;
    }

    private static EngineOptions.Builder options() {
        return EngineOptions.builder().setMaxWait(Duration.ZERO).setMaxBatchSize(4);
    }

    /** A question the fake model answers with {@code count} times word {@code token}. */
    private static InferenceRequest ask(String id, int count, int token) {
        return new InferenceRequest(id, Task.GENERATE, null, "w" + FakeSlotModel.SCRIPT + " w" + count + " w" + token,
                SamplingParams.greedy(32), InferenceRequest.DEFAULT_PRIORITY, null);
    }

    private static InferenceOutcome await(CompletableFuture<InferenceOutcome> f) throws Exception {
        return f.get(30, TimeUnit.SECONDS);
    }

    @AfterEach
    void closeEngine() {
        gate.countDown();
        if (engine != null) {
            engine.close();
        }
        assertThat(model.violations).isEmpty();
    }

    @Test
    void requestsAreAnsweredThroughFuturesAndTheModelLivesOnTheWorkerThread() throws Exception {
        start(options().build());
        List<CompletableFuture<InferenceOutcome>> futures = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            futures.add(engine.submit(ask("r" + i, 3 + i % 4, 20 + i)));
        }
        for (int i = 0; i < 12; i++) {
            InferenceOutcome out = await(futures.get(i));
            assertThat(out.status()).isEqualTo(OutcomeStatus.OK);
            assertThat(out.id()).isEqualTo("r" + i);
            assertThat(out.text()).isEqualTo(("w" + (20 + i) + " ").repeat(3 + i % 4).trim());
            assertThat(out.finishReason()).isEqualTo(FinishReason.EOS);
        }
        assertThat(workerEvents).containsExactly("init on eve-engine", "create on eve-engine");
        assertThat(engine.device()).isEqualTo("fake()");
        assertThat(engine.stats().completed()).isEqualTo(12);
        engine.close();
        assertThat(model.closed).isTrue();
    }

    @Test
    void recordLevelProblemsBecomeTypedRejections() throws Exception {
        start(options().setMaxQuestionChars(20).setImageLimits(new ImageLimits(1000, 1_000_000)).build());
        InferenceOutcome corrupt = await(engine.submit(withImage("bad", "not an image".getBytes())));
        assertThat(corrupt.status()).isEqualTo(OutcomeStatus.REJECTED);
        assertThat(corrupt.errorCode()).startsWith("IMAGE_");
        assertThat(await(engine.submit(withImage("empty", new byte[0]))).errorCode()).isEqualTo("IMAGE_EMPTY");
        assertThat(await(engine.submit(withImage("big", new byte[2000]))).errorCode())
                .isEqualTo("IMAGE_TOO_MANY_BYTES");
        InferenceRequest longQuestion = new InferenceRequest("long", Task.GENERATE, null, "x".repeat(21),
                SamplingParams.greedy(4), 5, null);
        assertThat(await(engine.submit(longQuestion)).errorCode()).isEqualTo(ErrorCodes.QUESTION_TOO_LONG);
        InferenceRequest late = new InferenceRequest("late", Task.GENERATE, null, "w3", SamplingParams.greedy(4), 5,
                NOW.minusMillis(1));
        InferenceOutcome timeout = await(engine.submit(late));
        assertThat(timeout.status()).isEqualTo(OutcomeStatus.TIMEOUT);
        assertThat(timeout.errorCode()).isEqualTo(ErrorCodes.DEADLINE_EXCEEDED);
        assertThat(model.prefills).isEmpty();
    }

    @Test
    void anImageIsPreprocessedOnThePoolAndReachesTheModel() throws Exception {
        start(options().build());
        InferenceRequest request = new InferenceRequest("img", Task.GENERATE, png(40, 24),
                "w" + FakeSlotModel.SCRIPT + " w3 w9", SamplingParams.greedy(8), 5, NOW.plusSeconds(60));
        InferenceOutcome out = await(engine.submit(request));
        assertThat(out.status()).isEqualTo(OutcomeStatus.OK);
        assertThat(out.text()).isEqualTo("w9 w9 w9");
        assertThat(out.promptTokens()).isGreaterThan(0);
    }

    @Test
    void aFullQueueRejectsAtSubmission() throws Exception {
        start(options().setQueueCapacity(1).setMaxBatchSize(1).build());
        model.gateNextDecode(inDecode, gate);
        CompletableFuture<InferenceOutcome> running = engine.submit(ask("running", 3, 5));
        assertThat(inDecode.await(30, TimeUnit.SECONDS)).isTrue(); // the worker is now busy in decode
        CompletableFuture<InferenceOutcome> waiting = engine.submit(ask("waiting", 3, 6));
        CompletableFuture<InferenceOutcome> refusedFuture = engine.submit(ask("refused", 3, 7));
        assertThat(refusedFuture).isDone(); // answered synchronously: no preparation, no model
        InferenceOutcome refused = refusedFuture.join();
        assertThat(refused.status()).isEqualTo(OutcomeStatus.REJECTED);
        assertThat(refused.errorCode()).isEqualTo(ErrorCodes.QUEUE_FULL);
        EngineStats stats = engine.stats();
        assertThat(stats.running()).isEqualTo(1);
        assertThat(stats.queueDepth() + stats.preparing()).isEqualTo(1);
        gate.countDown();
        assertThat(await(running)).extracting(InferenceOutcome::status, InferenceOutcome::errorMessage)
                .containsExactly(OutcomeStatus.OK, null);
        assertThat(await(waiting)).extracting(InferenceOutcome::status, InferenceOutcome::errorMessage)
                .containsExactly(OutcomeStatus.OK, null);
    }

    @Test
    void aFatalModelFailureFailsEveryPendingFutureAndStopsTheEngine() throws Exception {
        start(options().setMaxBatchSize(1).build());
        model.gateNextDecode(inDecode, gate);
        model.throwOnDecode(() -> new EngineFatalException("device lost"));
        CompletableFuture<InferenceOutcome> first = engine.submit(ask("first", 3, 5));
        assertThat(inDecode.await(30, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<InferenceOutcome> queued = engine.submit(ask("queued", 3, 6));
        gate.countDown();
        for (CompletableFuture<InferenceOutcome> f : List.of(first, queued)) {
            assertThatThrownBy(() -> f.get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(EngineFatalException.class);
        }
        assertThat(model.closedLatch.await(30, TimeUnit.SECONDS)).isTrue(); // closed by the worker as it stopped
        assertThat(engine.isStopped()).isTrue();
        assertThat(engine.failure()).hasMessageContaining("device lost");
        assertThatThrownBy(() -> engine.submit(ask("after", 3, 7)).join()).isInstanceOf(CompletionException.class)
                .hasCauseInstanceOf(EngineFatalException.class);
    }

    @Test
    void closeFailsWhatIsPendingAndClosesTheModel() throws Exception {
        start(options().setMaxBatchSize(1).build());
        model.gateNextDecode(inDecode, gate);
        CompletableFuture<InferenceOutcome> running = engine.submit(ask("running", 30, 5));
        assertThat(inDecode.await(30, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<InferenceOutcome> queued = engine.submit(ask("queued", 3, 6));
        // close() from inside the next model call: deterministic, both requests are still pending then
        model.runOnNextDecode(engine::close);
        gate.countDown();
        for (CompletableFuture<InferenceOutcome> f : List.of(running, queued)) {
            assertThatThrownBy(() -> f.get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(EngineFatalException.class)
                    .hasMessageContaining("closed");
        }
        assertThat(model.closedLatch.await(30, TimeUnit.SECONDS)).isTrue(); // on the worker, as it stopped
        assertThat(engine.isStopped()).isTrue();
        assertThatThrownBy(() -> engine.submit(ask("after", 3, 7)).join())
                .hasCauseInstanceOf(EngineFatalException.class);
    }

    @Test
    void aModelThatCannotBeCreatedFailsTheStart() {
        assertThatThrownBy(() -> Engine.start(() -> {
            throw new IllegalStateException("no weights");
        }, new FakeTokenizer(), new ImagePipeline(IMAGES, ImageLimits.defaults()), options().build(), clock,
                Clock.systemUTC(), () -> {}))
                .isInstanceOf(EngineFatalException.class).hasRootCauseMessage("no weights");
    }

    @Test
    void theDefaultWorkerInitTurnsOffGradientsOnTheWorkerThread() throws Exception {
        try (Engine real = Engine.start(() -> model, new FakeTokenizer(), new ImagePipeline(IMAGES,
                ImageLimits.defaults()), options().build(), System::nanoTime, Clock.systemUTC(),
                Engine::disableGradients)) {
            assertThat(await(real.submit(ask("a", 3, 5))).text()).isEqualTo("w5 w5 w5");
        }
        assertThat(model.closed).isTrue();
    }

    private static InferenceRequest withImage(String id, byte[] image) {
        return new InferenceRequest(id, Task.GENERATE, image, "w3", SamplingParams.greedy(4), 5, null);
    }

    private static byte[] png(int width, int height) throws IOException {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, (x * 6) << 16 | (y * 10) << 8 | 128);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }
}
