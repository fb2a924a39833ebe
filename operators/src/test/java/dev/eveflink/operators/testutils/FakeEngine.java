package dev.eveflink.operators.testutils;

import dev.eveflink.model.engine.CloseableInferenceService;
import dev.eveflink.model.engine.EngineKey;
import dev.eveflink.model.engine.EngineStats;
import dev.eveflink.model.engine.InferenceOutcome;
import dev.eveflink.model.engine.InferenceRequest;
import dev.eveflink.model.engine.OutcomeStatus;
import dev.eveflink.model.engine.Task;
import dev.eveflink.model.generate.FinishReason;
import dev.eveflink.model.generate.YesNoScore;
import dev.eveflink.operators.inference.InferenceServiceFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A controllable {@link CloseableInferenceService} for operator tests (the {@code LazyAsyncFunction}
 * pattern): every submitted request waits until the test completes it, fails it or lets it hang.
 * Optionally it answers everything at once when the {@code n}-th request arrives.
 *
 * <p>Engines are registered by name in a JVM-wide registry so that a serializable {@link
 * #factory(String)} (which travels inside the job graph) finds the test's engine and counts loads.
 */
public final class FakeEngine implements CloseableInferenceService {

    private static final Map<String, FakeEngine> REGISTRY = new ConcurrentHashMap<>();

    /** The registry name. */
    private final String name;
    /** Requests and their futures, in submission order (replays add new entries). */
    private final List<Submission> submissions = new ArrayList<>();
    /** Times the factory loaded this engine. */
    private final AtomicInteger loads = new AtomicInteger();
    /** Times the pool closed this engine. */
    private final AtomicInteger closes = new AtomicInteger();
    /** Devices the factory was asked for. */
    private final List<String> devices = new ArrayList<>();
    /** When > 0: answer every pending request once this many were submitted in total. */
    private volatile int answerAllAt;
    /** Observed at the {@code answerAllAt}-th submission, by the hook. */
    private volatile Runnable onAnswerAll = () -> {};

    private FakeEngine(String name) {
        this.name = name;
    }

    /** A fresh engine registered under {@code name} (replacing any earlier one). */
    public static FakeEngine register(String name) {
        FakeEngine engine = new FakeEngine(name);
        REGISTRY.put(name, engine);
        return engine;
    }

    /** A serializable factory that returns the engine registered under {@code name}. */
    public static InferenceServiceFactory factory(String name) {
        return key -> REGISTRY.get(name).loadedFor(key);
    }

    /** Answers every pending request OK as soon as {@code total} requests were submitted. */
    public FakeEngine answerAllAt(int total, Runnable hook) {
        this.answerAllAt = total;
        this.onAnswerAll = hook;
        return this;
    }

    private FakeEngine loadedFor(EngineKey key) {
        loads.incrementAndGet();
        synchronized (devices) {
            devices.add(key.device());
        }
        return this;
    }

    @Override
    public CompletableFuture<InferenceOutcome> submit(InferenceRequest request) {
        CompletableFuture<InferenceOutcome> future = new CompletableFuture<>();
        boolean answerAll;
        synchronized (submissions) {
            submissions.add(new Submission(request, future));
            answerAll = answerAllAt > 0 && submissions.size() == answerAllAt;
        }
        if (answerAll) {
            onAnswerAll.run();
            for (Submission s : submissions()) {
                s.future.complete(ok(s.request));
            }
        }
        return future;
    }

    /** Completes every pending submission of {@code id} with an OK answer. */
    public void answer(String id) {
        pending(id).forEach(s -> s.future.complete(ok(s.request)));
    }

    /** Completes every pending submission of {@code id} with {@code outcome}. */
    public void answer(String id, InferenceOutcome outcome) {
        pending(id).forEach(s -> s.future.complete(outcome));
    }

    /** Completes every pending submission of {@code id} exceptionally (engine-fatal). */
    public void crash(String id, Throwable error) {
        pending(id).forEach(s -> s.future.completeExceptionally(error));
    }

    /** Every submission so far. */
    public List<Submission> submissions() {
        synchronized (submissions) {
            return List.copyOf(submissions);
        }
    }

    /** Ids of the submissions still waiting, in submission order. */
    public List<String> pendingIds() {
        return submissions().stream().filter(s -> !s.future.isDone()).map(s -> s.request.id()).toList();
    }

    public int loads() {
        return loads.get();
    }

    public int closes() {
        return closes.get();
    }

    public List<String> devices() {
        synchronized (devices) {
            return List.copyOf(devices);
        }
    }

    /**
     * The OK outcome this fake gives {@code request}: text derived from the request, or for scoring one
     * score per question with p(yes) = 0.75 - 0.2 i and p(no) = 0.2 for question i (so the normalised
     * scores differ from p(yes) and from each other).
     */
    public InferenceOutcome ok(InferenceRequest request) {
        boolean score = request.task() == Task.SCORE_YES_NO;
        List<YesNoScore> scores = new ArrayList<>();
        if (score) {
            for (int i = 0; i < request.questions().size(); i++) {
                scores.add(YesNoScore.of(Math.max(0.75 - 0.2 * i, 0.05), 0.2));
            }
        }
        return new InferenceOutcome(
                request.id(),
                OutcomeStatus.OK,
                score ? null : "answer to " + request.id() + ": " + request.question(),
                score ? null : FinishReason.EOS,
                score ? scores.get(0).pYes() : Double.NaN,
                score ? scores.get(0).pNo() : Double.NaN,
                scores,
                null,
                null,
                device(),
                2,
                40,
                score ? 0 : 7,
                3_000_000,
                4_000_000,
                5_000_000,
                12_000_000);
    }

    private List<Submission> pending(String id) {
        return submissions().stream()
                .filter(s -> s.request.id().equals(id) && !s.future.isDone())
                .toList();
    }

    @Override
    public EngineStats stats() {
        int pending = (int) submissions().stream().filter(s -> !s.future.isDone()).count();
        return new EngineStats(pending, 0, Math.min(pending, 4), 4, 4096, 100L * pending, 0);
    }

    @Override
    public String device() {
        List<String> seen = devices();
        return seen.isEmpty() ? "cpu()" : seen.get(seen.size() - 1);
    }

    @Override
    public void close() {
        closes.incrementAndGet();
    }

    @Override
    public String toString() {
        return "FakeEngine[" + name + "]";
    }

    /** One submitted request and the future the engine returned for it. */
    public record Submission(InferenceRequest request, CompletableFuture<InferenceOutcome> future) {}
}
