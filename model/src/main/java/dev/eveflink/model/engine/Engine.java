package dev.eveflink.model.engine;

import ai.djl.pytorch.jni.JniUtils;
import dev.eveflink.model.Prompt;
import dev.eveflink.model.config.PreprocessorConfig;
import dev.eveflink.model.generate.SamplingParams;
import dev.eveflink.model.image.ImagePipeline;
import dev.eveflink.model.tokenizer.ChatTemplate;
import dev.eveflink.model.tokenizer.Tokenizer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One device's inference engine. A single worker thread creates the {@link SlotModel} (so it owns
 * every tensor of the device) and runs the {@link BatchScheduler} loop, blocking while idle and woken
 * by submissions; a bounded CPU pool prepares requests (image decode and preprocessing, chat template,
 * tokenization) in parallel with the model. Callers get a {@link CompletableFuture} of a plain
 * {@link InferenceOutcome}; no tensor leaves the engine.
 *
 * <pre>{@code
 * try (Engine engine = Engine.start(() -> new EveSlotModel(...), tokenizer, preprocessorConfig,
 *         EngineOptions.defaults())) {
 *     InferenceOutcome out = engine.submit(request).join();
 * }
 * }</pre>
 *
 * <p>Record-level problems (bad image, question or prompt too long, queue full, deadline passed)
 * complete the future normally with a non-OK outcome. An engine-fatal failure completes every pending
 * future exceptionally with {@link EngineFatalException} and the engine refuses further submissions.
 * Futures are completed on the worker (or pool) thread: callbacks must be quick.
 */
public final class Engine implements InferenceService, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Engine.class);
    /** Wakes the worker without a request (close). */
    private static final PreparedRequest WAKE = new PreparedRequest("<wake>", Task.GENERATE,
            Prompt.textOnly(new int[] {0}), SamplingParams.greedy(1), 0, PreparedRequest.NO_DEADLINE, 0,
            new CompletableFuture<>());

    private final Tokenizer tokenizer;
    private final EngineOptions options;
    private final LongSupplier nanoTime;
    private final Clock wallClock;
    private final RequestPreparer preparer;
    private final ThreadPoolExecutor cpuPool;
    private final BlockingQueue<PreparedRequest> inbox = new LinkedBlockingQueue<>();
    private final Set<CompletableFuture<InferenceOutcome>> pending = ConcurrentHashMap.newKeySet();
    private final AtomicInteger preparing = new AtomicInteger(); // on the CPU pool (stats)
    private final AtomicInteger notYetOffered = new AtomicInteger(); // preparing or in the inbox (backpressure)
    private final CompletableFuture<String> ready = new CompletableFuture<>();
    private final Thread worker;
    private volatile boolean closing;
    private volatile boolean stopped;
    private volatile EngineFatalException failure;
    private volatile BatchScheduler scheduler;
    private volatile String device = "unknown";

    private Engine(SlotModelFactory factory, Tokenizer tokenizer, ImagePipeline images, EngineOptions options,
            LongSupplier nanoTime, Clock wallClock, Runnable workerInit) {
        this.tokenizer = Objects.requireNonNull(tokenizer, "tokenizer");
        this.options = Objects.requireNonNull(options, "options");
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
        this.wallClock = Objects.requireNonNull(wallClock, "wallClock");
        this.preparer = new RequestPreparer(tokenizer, images, ChatTemplate.VICUNA_V1, options.maxQuestionChars());
        this.cpuPool = new ThreadPoolExecutor(options.cpuThreads(), options.cpuThreads(), 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(options.queueCapacity()), runnable -> {
                    Thread t = new Thread(runnable, "eve-engine-prep");
                    t.setDaemon(true);
                    return t;
                });
        this.worker = new Thread(() -> runWorker(factory, workerInit), "eve-engine");
        this.worker.setDaemon(true);
    }

    /**
     * Starts an engine and waits until its model is created on the worker thread.
     *
     * @param factory creates the model, called once on the worker thread
     * @param tokenizer the model's tokenizer (prompts, answers, yes/no ids)
     * @param imageConfig how images are preprocessed for this model
     * @param options operational knobs
     * @throws EngineFatalException when the model cannot be created
     */
    public static Engine start(SlotModelFactory factory, Tokenizer tokenizer, PreprocessorConfig imageConfig,
            EngineOptions options) {
        return start(factory, tokenizer, new ImagePipeline(imageConfig, options.imageLimits()), options,
                System::nanoTime, Clock.systemUTC(), Engine::disableGradients);
    }

    /**
     * Starts an engine with explicit clocks and worker initialisation (tests).
     *
     * @param nanoTime the scheduler's clock
     * @param wallClock turns request deadlines ({@link Instant}s) into scheduler time
     * @param workerInit runs first on the worker thread, before the model is created
     */
    public static Engine start(SlotModelFactory factory, Tokenizer tokenizer, ImagePipeline images,
            EngineOptions options, LongSupplier nanoTime, Clock wallClock, Runnable workerInit) {
        Engine engine = new Engine(factory, tokenizer, images, options, nanoTime, wallClock, workerInit);
        engine.worker.start();
        try {
            engine.device = engine.ready.join();
        } catch (RuntimeException e) {
            engine.close();
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw cause instanceof EngineFatalException f
                    ? f
                    : new EngineFatalException("engine failed to start", cause);
        }
        LOG.info("engine on {} started: {}", engine.device, options);
        return engine;
    }

    /**
     * Loads DJL's PyTorch engine (if no one has yet) and turns autograd off for the calling thread:
     * libtorch's grad mode is thread-local, so every inference thread must do this itself.
     */
    public static void disableGradients() {
        ai.djl.engine.Engine.getEngine("PyTorch"); // loads libtorch before the first JNI call
        JniUtils.setGradMode(false);
    }

    @Override
    public CompletableFuture<InferenceOutcome> submit(InferenceRequest request) {
        Objects.requireNonNull(request, "request");
        long submitNanos = nanoTime.getAsLong();
        CompletableFuture<InferenceOutcome> future = new CompletableFuture<>();
        pending.add(future);
        future.whenComplete((outcome, error) -> pending.remove(future));
        if (stopped || closing) {
            future.completeExceptionally(failure != null ? failure : new EngineFatalException("engine is closed"));
            return future;
        }
        long deadlineNanos = deadlineNanos(request.deadline(), submitNanos);
        if (deadlineNanos != PreparedRequest.NO_DEADLINE && deadlineNanos <= submitNanos) {
            future.complete(InferenceOutcome.failure(request.id(), OutcomeStatus.TIMEOUT, ErrorCodes.DEADLINE_EXCEEDED,
                    "request " + request.id() + ": deadline " + request.deadline() + " passed before submission",
                    device, 0));
            return future;
        }
        if (waiting() >= options.queueCapacity()) {
            rejectQueueFull(request, future, submitNanos);
            return future;
        }
        notYetOffered.incrementAndGet();
        preparing.incrementAndGet();
        try {
            cpuPool.execute(() -> prepare(request, submitNanos, deadlineNanos, future));
        } catch (RejectedExecutionException e) {
            preparing.decrementAndGet();
            notYetOffered.decrementAndGet();
            rejectQueueFull(request, future, submitNanos);
        }
        return future;
    }

    private void prepare(InferenceRequest request, long submitNanos, long deadlineNanos,
            CompletableFuture<InferenceOutcome> future) {
        PreparedRequest prepared = null;
        try {
            prepared = preparer.prepare(request, submitNanos, deadlineNanos, future);
        } catch (RequestRejectedException e) {
            future.complete(InferenceOutcome.failure(request.id(), OutcomeStatus.REJECTED, e.code(),
                    "request " + request.id() + ": " + e.getMessage(), device, nanoTime.getAsLong() - submitNanos));
        } catch (RuntimeException e) {
            future.complete(InferenceOutcome.failure(request.id(), OutcomeStatus.REJECTED, ErrorCodes.INVALID_REQUEST,
                    "request " + request.id() + ": preparation failed: " + e, device,
                    nanoTime.getAsLong() - submitNanos));
        } finally {
            preparing.decrementAndGet();
            if (prepared == null) {
                notYetOffered.decrementAndGet();
            }
        }
        if (prepared != null) {
            inbox.add(prepared); // the worker counts it off notYetOffered when it takes it
        }
        if (stopped) {
            failPending(); // the worker is gone; nobody will read the inbox
        }
    }

    private void rejectQueueFull(InferenceRequest request, CompletableFuture<InferenceOutcome> future,
            long submitNanos) {
        future.complete(InferenceOutcome.failure(request.id(), OutcomeStatus.REJECTED, ErrorCodes.QUEUE_FULL,
                "request " + request.id() + ": " + waiting() + " requests wait already (queueCapacity "
                        + options.queueCapacity() + ")", device, nanoTime.getAsLong() - submitNanos));
    }

    private int waiting() {
        BatchScheduler s = scheduler;
        // Counted off before the scheduler counts it in: a moment's undercount at worst, which the
        // scheduler's own bounded queue catches; never a spurious QUEUE_FULL.
        return notYetOffered.get() + (s == null ? 0 : s.stats().queueDepth());
    }

    private long deadlineNanos(Instant deadline, long submitNanos) {
        if (deadline == null) {
            return PreparedRequest.NO_DEADLINE;
        }
        try {
            long left = Duration.between(wallClock.instant(), deadline).toNanos();
            long at = Math.addExact(submitNanos, left);
            return at == PreparedRequest.NO_DEADLINE ? at - 1 : at;
        } catch (ArithmeticException e) {
            return deadline.isBefore(wallClock.instant()) ? submitNanos : PreparedRequest.NO_DEADLINE;
        }
    }

    private void runWorker(SlotModelFactory factory, Runnable workerInit) {
        SlotModel model;
        try {
            workerInit.run();
            model = Objects.requireNonNull(factory.create(), "the factory returned no model");
            scheduler = new BatchScheduler(model, tokenizer, options, nanoTime);
        } catch (Throwable t) {
            failure = new EngineFatalException("cannot create the model", t);
            stopped = true;
            ready.completeExceptionally(failure);
            failPending();
            return;
        }
        ready.complete(model.device());
        try {
            loop(scheduler);
        } catch (EngineFatalException e) {
            failure = e;
        } catch (Throwable t) {
            failure = new EngineFatalException("engine worker on " + model.device() + " failed", t);
        } finally {
            EngineFatalException reason = failure != null ? failure : new EngineFatalException("engine is closed");
            stopped = true;
            if (failure != null) {
                scheduler.failAll(reason);
            } else {
                scheduler.stop(reason);
            }
            failPending();
            try {
                model.close();
            } catch (RuntimeException e) {
                LOG.warn("closing the model on {} failed", model.device(), e);
            }
            LOG.info("engine on {} stopped{}", model.device(), failure != null ? ": " + failure.getMessage() : "");
        }
    }

    private void loop(BatchScheduler scheduler) throws InterruptedException {
        while (!closing) {
            long idle = scheduler.idleNanos();
            PreparedRequest next = idle == 0
                    ? inbox.poll()
                    : idle == Long.MAX_VALUE ? inbox.take() : inbox.poll(idle, TimeUnit.NANOSECONDS);
            while (next != null) {
                if (next != WAKE) {
                    notYetOffered.decrementAndGet();
                    scheduler.offer(next);
                }
                next = inbox.poll();
            }
            if (closing) {
                return;
            }
            scheduler.tick(); // throws EngineFatalException when the engine cannot go on
        }
    }

    private void failPending() {
        EngineFatalException reason = failure != null ? failure : new EngineFatalException("engine is closed");
        for (CompletableFuture<InferenceOutcome> f : List.copyOf(pending)) {
            f.completeExceptionally(reason);
        }
    }

    @Override
    public EngineStats stats() {
        BatchScheduler s = scheduler;
        if (s == null) {
            return new EngineStats(inbox.size(), preparing.get(), 0, 0, 0, 0, 0);
        }
        EngineStats core = s.stats();
        return new EngineStats(core.queueDepth() + inbox.size(), preparing.get(), core.running(), core.slots(),
                core.tokenBudget(), core.tokensReserved(), core.completed());
    }

    @Override
    public String device() {
        return device;
    }

    /** True once the engine stopped (closed or fatally failed). */
    public boolean isStopped() {
        return stopped;
    }

    /** The fatal failure that stopped the engine, or null. */
    public EngineFatalException failure() {
        return failure;
    }

    /**
     * Stops the worker, fails every pending request with {@link EngineFatalException} and closes the
     * model on the worker thread. Idempotent; waits for the worker (unless called from it).
     */
    @Override
    public void close() {
        closing = true;
        inbox.add(WAKE);
        if (Thread.currentThread() != worker) {
            try {
                worker.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        cpuPool.shutdownNow();
        try {
            cpuPool.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        stopped = true;
        failPending();
    }
}
