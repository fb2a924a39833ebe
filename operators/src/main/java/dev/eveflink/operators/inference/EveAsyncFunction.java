package dev.eveflink.operators.inference;

import dev.eveflink.model.engine.DeviceSelection;
import dev.eveflink.model.engine.EngineLease;
import dev.eveflink.model.engine.EnginePool;
import dev.eveflink.model.engine.InferenceOutcome;
import dev.eveflink.model.engine.InferenceRequest;
import dev.eveflink.model.engine.InferenceService;
import dev.eveflink.model.policy.PolicySet;
import dev.eveflink.operators.avro.ImageEvent;
import dev.eveflink.operators.avro.InferenceResult;
import dev.eveflink.operators.errors.Outcome;
import dev.eveflink.operators.metrics.EveMetrics;
import dev.eveflink.operators.moderation.AttachedPolicySets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.async.ResultFuture;
import org.apache.flink.streaming.api.functions.async.RichAsyncFunction;
import org.apache.flink.util.Preconditions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs EVE on each {@link ImageEvent} through a device engine shared by the subtasks of a
 * TaskManager ({@link EnginePool#shared()}), and emits exactly one {@link InferenceResult} per
 * event.
 *
 * <p>Exactly-once: the async operator checkpoints the in-flight INPUT events and replays them after
 * a restore; results are never stored. Each {@link ResultFuture} completes exactly once: the
 * engine's answer and {@link #timeout} race for one {@link AtomicBoolean} per request. Errors:
 * record-level problems (invalid event, unreadable image, engine non-OK outcome, timeout) become a
 * non-OK result; only an exceptionally completed engine future (engine-fatal) completes
 * exceptionally, which fails the task so that it restarts from the checkpoint.
 *
 * <p>Batching happens inside the engine; this function only submits. Build it with {@link
 * EveInference#apply}.
 */
public final class EveAsyncFunction extends RichAsyncFunction<ImageEvent, InferenceResult> {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(EveAsyncFunction.class);

    /** The operator's settings. */
    private final InferenceOptions options;
    /** Loads the engine when this TaskManager has none for the key yet. */
    private final InferenceServiceFactory factory;

    /** This subtask's claim on the shared engine; returned in {@link #close()}. */
    private transient EngineLease lease;
    /** The shared engine. */
    private transient InferenceService engine;
    /** The device this subtask uses. */
    private transient String device;
    private transient EventMapper events;
    /** The policy sets attached to events by the job's attach operator, converted once each. */
    private transient AttachedPolicySets attachedSets;
    private transient ResultMapper results;
    private transient EveMetrics metrics;
    /** Requests submitted and not yet answered, by their result future (identity). */
    private transient Map<ResultFuture<InferenceResult>, InFlight> inFlight;

    public EveAsyncFunction(InferenceOptions options, InferenceServiceFactory factory) {
        this.options = Preconditions.checkNotNull(options, "options");
        this.factory = Preconditions.checkNotNull(factory, "factory");
    }

    @Override
    public void open(OpenContext openContext) throws Exception {
        int subtask = getRuntimeContext().getTaskInfo().getIndexOfThisSubtask();
        List<String> gpus = TaskManagerGpus.indices(getRuntimeContext());
        device = DeviceSelection.parse(options.device()).choose(gpus, subtask);
        lease = EnginePool.shared().lease(options.engineKey(device), factory);
        engine = lease.service();
        events = new EventMapper(options);
        attachedSets = new AttachedPolicySets();
        results = new ResultMapper(options.modelId());
        metrics = EveMetrics.register(getRuntimeContext().getMetricGroup(), device, engine);
        inFlight = new ConcurrentHashMap<>();
        LOG.info("subtask {} uses {} (reported GPUs {})", subtask, device, gpus);
    }

    @Override
    public void asyncInvoke(ImageEvent event, ResultFuture<InferenceResult> resultFuture) {
        long arrival = System.nanoTime();
        InFlight request = new InFlight(event, arrival);
        inFlight.put(resultFuture, request);
        Outcome<PolicySet> policies = policiesFor(event);
        Outcome<EventMapper.Requests> mapped = policies.isOk()
                ? events.toRequests(event, policies.value(), Instant.now()) : Outcome.failed(policies.error());
        if (!mapped.isOk()) {
            finish(resultFuture, request, results.rejected(event, mapped.error(), elapsed(arrival)));
            return;
        }
        request.submittedNanos = System.nanoTime();
        List<CompletableFuture<InferenceOutcome>> answers = new ArrayList<>();
        for (InferenceRequest engineRequest : mapped.value().requests()) {
            try {
                answers.add(engine.submit(engineRequest));
            } catch (RuntimeException e) {
                answers.add(CompletableFuture.failedFuture(e));
            }
        }
        // One completion for all answers of the event (a MODERATE event asks every policy in one).
        CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new))
                .whenComplete(
                        (ignored, error) ->
                                answered(resultFuture, request, mapped.value().moderation(), answers, error));
    }

    /** The policy set attached by the job when there is one, else the configured policies. */
    private Outcome<PolicySet> policiesFor(ImageEvent event) {
        return event.getAttachedPolicies() == null
                ? Outcome.ok(options.policies()) : attachedSets.forSet(event.getAttachedPolicies());
    }

    private void answered(
            ResultFuture<InferenceResult> future,
            InFlight request,
            ModerationPlan moderation,
            List<CompletableFuture<InferenceOutcome>> answers,
            Throwable error) {
        if (error != null) {
            fail(future, request, error);
            return;
        }
        InferenceResult result;
        try {
            List<InferenceOutcome> outcomes = new ArrayList<>(answers.size());
            for (CompletableFuture<InferenceOutcome> answer : answers) {
                outcomes.add(Preconditions.checkNotNull(answer.join(), "no outcome"));
            }
            result =
                    results.fromOutcomes(
                            request.event,
                            outcomes,
                            moderation,
                            request.submittedNanos - request.arrivalNanos,
                            elapsed(request.arrivalNanos));
        } catch (RuntimeException e) {
            // An outcome we cannot map is an engine bug: fail loudly rather than lose the record.
            fail(future, request, e);
            return;
        }
        finish(future, request, result);
    }

    /** Emits TIMEOUT instead of failing the job (the default); a later answer is dropped. */
    @Override
    public void timeout(ImageEvent event, ResultFuture<InferenceResult> resultFuture) {
        InFlight request = inFlight.get(resultFuture);
        if (request == null) {
            return; // answered already
        }
        finish(resultFuture, request,
                results.timedOut(event, options.timeout(), elapsed(request.arrivalNanos)));
    }

    @Override
    public void close() throws Exception {
        if (lease != null) {
            lease.close();
        }
    }

    private void finish(
            ResultFuture<InferenceResult> future, InFlight request, InferenceResult result) {
        if (claim(future, request)) {
            metrics.record(result);
            future.complete(List.of(result));
        }
    }

    private void fail(ResultFuture<InferenceResult> future, InFlight request, Throwable error) {
        if (claim(future, request)) {
            Throwable cause =
                    error instanceof CompletionException && error.getCause() != null
                            ? error.getCause()
                            : error;
            future.completeExceptionally(
                    new EngineFailureException(request.event.getId(), device, cause));
        }
    }

    /** True for exactly one caller per request: the one that completes its future. */
    private boolean claim(ResultFuture<InferenceResult> future, InFlight request) {
        boolean won = request.done.compareAndSet(false, true);
        if (won) {
            inFlight.remove(future, request);
        }
        return won;
    }

    private static long elapsed(long startNanos) {
        return System.nanoTime() - startNanos;
    }

    /** One submitted request: the guard that lets exactly one completion through. */
    private static final class InFlight {
        final ImageEvent event;
        final long arrivalNanos;
        /** Set on the task thread before submission; read by the callback after it. */
        volatile long submittedNanos;
        final AtomicBoolean done = new AtomicBoolean();

        InFlight(ImageEvent event, long arrivalNanos) {
            this.event = event;
            this.arrivalNanos = arrivalNanos;
        }
    }
}
