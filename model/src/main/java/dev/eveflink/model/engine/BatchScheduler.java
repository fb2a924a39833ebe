package dev.eveflink.model.engine;

import dev.eveflink.model.Prompt;
import dev.eveflink.model.SharedPrompt;
import dev.eveflink.model.generate.StopRules;
import dev.eveflink.model.generate.YesNoScore;
import dev.eveflink.model.generate.YesNoScorer;
import dev.eveflink.model.tokenizer.Tokenizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.LongSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Continuous (iteration-level) batching over a {@link SlotModel}, driven by an injected clock and
 * single-threaded: the engine's worker calls {@link #offer} and {@link #tick}; tests call them with a
 * virtual clock. Each {@link #tick()} is one iteration:
 *
 * <ol>
 *   <li>shed: queued (and running) requests whose deadline has passed are answered TIMEOUT
 *       ({@link ErrorCodes#DEADLINE_EXCEEDED}); a queued one never touches the model;
 *   <li>admit: waiting requests join in service order (priority, deadline, arrival) while slots,
 *       the {@link TokenBudget} and the per-iteration prefill limit allow. GENERATE joiners take a
 *       slot each and prefill in ONE {@link SlotModel#prefill}; each one's first token is sampled from
 *       its prefill logits. SCORE_YES_NO requests take no slot: all admitted ones (each with its K
 *       questions about one image) are answered in ONE {@link SlotModel#scoreShared} call, which
 *       prefills each image's prefix once; they reserve prefix plus suffix tokens and release them at
 *       once;
 *   <li>decode: one {@link SlotModel#decode} step for every running sequence, a sample each, and the
 *       finished ones (EOS, stop string, token limit, context full) leave, compacting the slots.
 * </ol>
 *
 * <p>Dispatch: while sequences run, joiners are admitted at every step. An idle engine dispatches at
 * once when the queue could fill the batch or when waiting does not pay; it holds a request back only
 * while the arrival estimate predicts another one before the oldest has waited {@code maxWait}, and
 * never longer.
 *
 * <p>Failures: a {@link RuntimeException} from prefill (or scoring) splits the joiners in halves and retries each
 * half once (a single joiner is retried once alone); members of a group that fails again get FAILED
 * ({@link ErrorCodes#MODEL_ERROR}). A failing decode fails the running sequences. An {@link Error},
 * an {@link EngineFatalException} or {@code maxConsecutiveFailures} failed prefills (or decode
 * steps) in a row are fatal: every pending future completes exceptionally and {@link #tick()} throws
 * {@link EngineFatalException}.
 */
public final class BatchScheduler {
    private static final Logger LOG = LoggerFactory.getLogger(BatchScheduler.class);

    private final SlotModel model;
    private final EngineOptions options;
    private final LongSupplier nanoTime;
    private final Tokenizer tokenizer;
    private final YesNoScorer yesNo;
    private final WaitQueue queue;
    private final TokenBudget budget;
    private final RunningBatch running;
    private final DispatchPolicy dispatch;
    private final OutcomeFactory outcomes;
    private long arrivalCounter;
    private long completed;
    private final List<QueuedRequest> scoringNow = new ArrayList<>(); // inside a scoreShared call
    private int prefillFailures; // in a row (prefills and scoring calls); a success resets
    private int decodeFailures; // in a row; a successful decode step resets
    private EngineFatalException fatal;
    private volatile EngineStats stats;

    public BatchScheduler(SlotModel model, Tokenizer tokenizer, EngineOptions options, LongSupplier nanoTime) {
        this.model = Objects.requireNonNull(model, "model");
        this.options = Objects.requireNonNull(options, "options");
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
        this.tokenizer = Objects.requireNonNull(tokenizer, "tokenizer");
        this.yesNo = new YesNoScorer(tokenizer);
        this.queue = new WaitQueue(options.queueCapacity());
        this.budget = new TokenBudget(options.effectiveTokenBudget(model.slots(), model.maxPositions()));
        this.running = new RunningBatch(model, Math.min(options.maxBatchSize(), model.slots()));
        this.outcomes = new OutcomeFactory(model.device());
        this.dispatch = new DispatchPolicy(options.maxWait().toNanos());
        publish();
    }

    /**
     * Queues a prepared request, or answers it at once: REJECTED when the queue is full
     * ({@link ErrorCodes#QUEUE_FULL}), the prompt exceeds the context ({@link ErrorCodes#PROMPT_TOO_LONG})
     * or it could never fit the token budget ({@link ErrorCodes#TOKEN_BUDGET_EXCEEDED}), or the model
     * refuses the prompt ({@link ErrorCodes#INVALID_REQUEST}).
     */
    public void offer(PreparedRequest request) {
        if (fatal != null) {
            request.future().completeExceptionally(fatal);
            return;
        }
        long now = now();
        dispatch.onArrival(now);
        int promptLength; // positions it prefills
        int longestPrompt; // its longest full prompt
        int imageTokens; // visual tokens among them
        SharedPrompt shared = null;
        try {
            if (request.task() == Task.SCORE_YES_NO) {
                shared = SharedPrompt.split(request.prompts());
                int prefixLength = model.promptLength(shared.prefix());
                int longestSuffix = 0;
                for (int i = 0; i < shared.size(); i++) {
                    longestSuffix = Math.max(longestSuffix, shared.suffixes().get(i).length);
                }
                promptLength = prefixLength + shared.suffixTokens();
                longestPrompt = prefixLength + longestSuffix;
                imageTokens = visualTokens(shared.prefix(), prefixLength); // the image is in the shared prefix
            } else {
                promptLength = model.promptLength(request.prompt());
                longestPrompt = promptLength;
                imageTokens = visualTokens(request.prompt(), promptLength);
            }
        } catch (EngineFatalException e) {
            throw die(e);
        } catch (RuntimeException e) {
            // e.g. an image whose shape the model cannot take: this request's problem, not the engine's
            reject(request, ErrorCodes.INVALID_REQUEST, "the model refuses the prompt: " + e, now);
            return;
        }
        int maxPositions = model.maxPositions();
        if (longestPrompt > maxPositions) {
            reject(request, ErrorCodes.PROMPT_TOO_LONG, "prompt takes " + longestPrompt
                    + " positions, the model has " + maxPositions, now);
            return;
        }
        int limit = Math.min(request.params().maxNewTokens(), maxPositions - longestPrompt + 1);
        long reserve = request.task() == Task.SCORE_YES_NO
                ? promptLength
                : Math.min((long) promptLength + request.params().maxNewTokens(), maxPositions);
        if (!budget.fitsEver(reserve)) {
            reject(request, ErrorCodes.TOKEN_BUDGET_EXCEEDED, "needs " + reserve
                    + " KV-cache tokens, the engine's whole budget is " + budget.capacity(), now);
            return;
        }
        QueuedRequest queued = new QueuedRequest(request, promptLength, limit, reserve, arrivalCounter++, now, shared,
                imageTokens);
        if (!queue.offer(queued)) {
            reject(request, ErrorCodes.QUEUE_FULL, "the wait queue holds " + queue.capacity() + " requests", now);
            return;
        }
        publish();
    }

    /** A prompt's visual tokens: its positions less its text tokens (the image marker is not one). */
    private static int visualTokens(Prompt prompt, int positions) {
        return prompt.image() == null ? 0 : positions - (prompt.ids().length - 1);
    }

    /**
     * Runs one iteration (shed, admit, decode). Returns true when it answered a request or used the
     * model, false when it had nothing to do or chose to wait (see {@link #idleNanos()}).
     *
     * @throws EngineFatalException when the engine cannot go on; every pending future has then failed
     */
    public boolean tick() {
        if (fatal != null) {
            throw fatal;
        }
        try {
            long now = now();
            boolean worked = shed(now);
            if (running.isEmpty() && !dispatchNow(now)) {
                return worked;
            }
            worked |= admit();
            if (!running.isEmpty()) {
                decodeStep();
                worked = true;
            }
            return worked;
        } catch (EngineFatalException | Error e) {
            throw die(e);
        } catch (RuntimeException e) {
            // Not a model call (those are caught where they happen): our own bookkeeping broke.
            throw die(new EngineFatalException("scheduler failure on " + model.device(), e));
        } finally {
            publish();
        }
    }

    /**
     * How long the caller may block before the next {@link #tick()} is due, absent new offers: 0 when
     * there is work now, {@link Long#MAX_VALUE} when there is none at all.
     */
    public long idleNanos() {
        if (fatal != null || (running.isEmpty() && queue.isEmpty())) {
            return Long.MAX_VALUE;
        }
        long now = now();
        if (!running.isEmpty() || dispatchNow(now)) {
            return 0;
        }
        return dispatch.holdNanos(now, queue);
    }

    /** Completes every pending future exceptionally and refuses further work. Idempotent. */
    public void failAll(Throwable cause) {
        die(cause instanceof EngineFatalException f ? f : new EngineFatalException("engine stopped", cause));
        publish();
    }

    /** A consistent snapshot; safe from any thread. */
    public EngineStats stats() {
        return stats;
    }

    /** The running batch's capacity: min(maxBatchSize, slots). */
    public int batchCapacity() {
        return running.capacity();
    }

    /** True once a fatal failure (or {@link #failAll}) stopped this scheduler. */
    public boolean isDead() {
        return fatal != null;
    }

    private boolean dispatchNow(long now) {
        return dispatch.dispatchNow(now, queue, running.free(), budget.capacity() - budget.reserved());
    }

    private boolean shed(long now) {
        List<QueuedRequest> expired = queue.removeExpired(now);
        for (QueuedRequest q : expired) {
            complete(q.request(), outcomes.timeout(q.request(), now, "waited "
                    + (now - q.enqueuedNanos()) / 1_000 + " us in the queue"));
        }
        List<Sequence> late = new ArrayList<>();
        for (Sequence seq : running.sequences()) {
            if (seq.request().expired(now)) {
                late.add(seq);
            }
        }
        if (!late.isEmpty()) {
            running.removeAll(late);
            for (Sequence seq : late) {
                budget.release(seq.queued.reservedTokens());
                complete(seq.request(), outcomes.timeout(seq.request(), now, "deadline passed after "
                        + seq.count() + " generated tokens"));
            }
        }
        return !expired.isEmpty() || !late.isEmpty();
    }

    private boolean admit() {
        List<QueuedRequest> joiners = new ArrayList<>();
        List<QueuedRequest> scorers = new ArrayList<>();
        long prefillTokens = 0;
        int limit = options.maxPrefillTokens();
        while (true) {
            QueuedRequest head = queue.peek();
            if (head == null) {
                break;
            }
            boolean scoring = head.shared() != null;
            if (!scoring && joiners.size() >= running.free()) {
                break; // strict order: a generate head waits for a slot, and so does whoever is behind it
            }
            boolean first = joiners.isEmpty() && scorers.isEmpty();
            if (limit > 0 && !first && prefillTokens + head.promptLength() > limit) {
                break; // the rest of the burst joins at the next steps, running sequences go on decoding
            }
            if (!budget.tryReserve(head.reservedTokens())) {
                break; // strict order: the head waits for room rather than being overtaken forever
            }
            queue.poll();
            (scoring ? scorers : joiners).add(head);
            prefillTokens += head.promptLength();
        }
        if (joiners.isEmpty() && scorers.isEmpty()) {
            return false;
        }
        LOG.debug("admitting {} joiners and {} scoring requests ({} prompt tokens) to {} running, queue {}",
                joiners.size(), scorers.size(), prefillTokens, running.size(), queue.size());
        if (!scorers.isEmpty()) {
            score(scorers, true);
        }
        if (!joiners.isEmpty()) {
            prefill(joiners, true);
        }
        publish(); // the joiners are visible as running while the decode step runs
        return true;
    }

    /**
     * Answers scoring requests in one {@link SlotModel#scoreShared} call (one group per request, one
     * suffix per question); their tokens are released right after. On failure splits and retries once,
     * like {@link #prefill}.
     */
    private void score(List<QueuedRequest> group, boolean mayRetry) {
        List<SharedPrompt> prompts = new ArrayList<>(group.size());
        int rows = 0;
        for (QueuedRequest q : group) {
            prompts.add(q.shared());
            rows += q.shared().size();
        }
        long start = now();
        float[][] logits;
        scoringNow.addAll(group);
        try {
            logits = model.scoreShared(prompts);
            if (logits == null || logits.length != rows) {
                throw new IllegalStateException("scoreShared answered " + (logits == null ? "null" : logits.length)
                        + " logits rows for " + rows + " questions");
            }
        } catch (EngineFatalException e) {
            throw e;
        } catch (RuntimeException e) {
            scoringNow.clear();
            retryInHalvesOrFail("scoring", group, mayRetry, e, half -> score(half, false));
            return;
        }
        scoringNow.clear();
        prefillFailures = 0;
        long now = now();
        int row = 0;
        for (QueuedRequest q : group) {
            List<YesNoScore> scores = new ArrayList<>(q.shared().size());
            for (int i = 0; i < q.shared().size(); i++) {
                scores.add(yesNo.score(logits[row++]));
            }
            budget.release(q.reservedTokens());
            complete(q.request(), outcomes.scored(q, scores, start, now, group.size()));
        }
    }

    /**
     * After a failed prefill or scoring call: on the first failure each half of the group is retried
     * once ({@code retry}); on the retry's failure the group's requests are answered FAILED and count
     * toward the failure streak (prefills and scoring calls share it).
     */
    private void retryInHalvesOrFail(String call, List<QueuedRequest> group, boolean mayRetry, RuntimeException e,
            Consumer<List<QueuedRequest>> retry) {
        if (mayRetry) {
            LOG.warn("{} of {} requests on {} failed, retrying in halves: {}", call, group.size(), model.device(),
                    e.toString());
            int half = (group.size() + 1) / 2;
            retry.accept(group.subList(0, half));
            if (half < group.size()) {
                retry.accept(group.subList(half, group.size()));
            }
            return;
        }
        LOG.warn("{} of {} requests on {} failed again; failing them: {}", call, group.size(), model.device(),
                e.toString());
        for (QueuedRequest q : group) {
            budget.release(q.reservedTokens());
            complete(q.request(), outcomes.failed(q.request(), now(), e, group.size()));
        }
        prefillFailures++;
        checkFailureStreak(prefillFailures, "prefill", e);
    }

    /** Prefills a group into the next free slots; on failure splits and retries once (see class doc). */
    private void prefill(List<QueuedRequest> group, boolean mayRetry) {
        int base = running.size();
        int[] slots = new int[group.size()];
        List<Prompt> prompts = new ArrayList<>(group.size());
        for (int i = 0; i < slots.length; i++) {
            slots[i] = base + i;
            prompts.add(group.get(i).request().prompt());
        }
        long start = now();
        float[][] logits;
        try {
            logits = model.prefill(slots, prompts);
        } catch (EngineFatalException e) {
            throw e;
        } catch (RuntimeException e) {
            for (int slot : slots) {
                RunningBatch.releaseQuietly(model, slot);
            }
            retryInHalvesOrFail("prefill", group, mayRetry, e, half -> prefill(half, false));
            return;
        }
        prefillFailures = 0;
        long prefillNanos = now() - start;
        List<Sequence> finished = new ArrayList<>();
        for (int i = 0; i < slots.length; i++) {
            Sequence seq = new Sequence(group.get(i), slots[i], start, prefillNanos, base + slots.length);
            running.add(seq);
            if (sampleAndCheck(seq, logits[i])) {
                finished.add(seq);
            }
        }
        leave(finished);
    }

    private void decodeStep() {
        int[] feed = running.lastTokens();
        float[][] logits;
        try {
            logits = model.decode(feed);
        } catch (EngineFatalException e) {
            throw e;
        } catch (RuntimeException e) {
            LOG.warn("decode of {} sequences on {} failed; failing them: {}", feed.length, model.device(),
                    e.toString());
            long now = now();
            for (Sequence seq : running.clear()) {
                budget.release(seq.queued.reservedTokens());
                complete(seq.request(), outcomes.failed(seq.request(), now, e, feed.length));
            }
            decodeFailures++;
            checkFailureStreak(decodeFailures, "decode", e);
            return;
        }
        decodeFailures = 0;
        List<Sequence> finished = new ArrayList<>();
        for (int slot = 0; slot < feed.length; slot++) {
            Sequence seq = running.get(slot);
            if (sampleAndCheck(seq, logits[slot])) {
                finished.add(seq);
            }
        }
        leave(finished);
    }

    /** Samples the next token; true (and the outcome staged) when the sequence is done. */
    private boolean sampleAndCheck(Sequence seq, float[] logits) {
        seq.append(seq.sampler.next(logits));
        StopRules.Stop stop = StopRules.check(tokenizer, seq.tokens(), seq.queued.newTokenLimit(),
                seq.request().params().stopStrings());
        if (stop == null) {
            return false;
        }
        completeLater(seq, outcomes.generated(seq, stop, now()));
        return true;
    }

    private final List<Runnable> staged = new ArrayList<>();

    /** Outcomes complete only after their slots are released, so a caller never sees a stale batch. */
    private void completeLater(Sequence seq, InferenceOutcome outcome) {
        staged.add(() -> complete(seq.request(), outcome));
    }

    private void leave(List<Sequence> finished) {
        running.removeAll(finished);
        for (Sequence seq : finished) {
            budget.release(seq.queued.reservedTokens());
        }
        List<Runnable> ready = List.copyOf(staged);
        staged.clear();
        ready.forEach(Runnable::run);
    }

    private void checkFailureStreak(int failures, String call, RuntimeException e) {
        if (failures >= options.maxConsecutiveFailures()) {
            throw new EngineFatalException(failures + " " + call + " failures in a row on " + model.device(), e);
        }
    }

    private void reject(PreparedRequest request, String code, String message, long now) {
        complete(request, outcomes.rejected(request, code, message, now));
        publish();
    }

    private void complete(PreparedRequest request, InferenceOutcome outcome) {
        completed++;
        publish(); // a caller woken by the future sees stats that already count it
        request.future().complete(outcome);
    }

    /**
     * Stops on an orderly close: what is still pending fails with {@code reason}; only a close that
     * abandons requests is worth a warning.
     */
    public void stop(EngineFatalException reason) {
        if (fatal == null && (queue.size() > 0 || running.size() > 0)) {
            LOG.warn("engine on {} closed with {} queued and {} running requests", model.device(), queue.size(),
                    running.size());
        }
        die(reason, false);
        publish();
    }

    private EngineFatalException die(Throwable cause) {
        return die(cause, true);
    }

    private EngineFatalException die(Throwable cause, boolean failure) {
        if (fatal == null) {
            fatal = cause instanceof EngineFatalException f
                    ? f
                    : new EngineFatalException("fatal failure on " + model.device(), cause);
            if (failure) {
                LOG.error("engine on {} failed fatally; failing {} queued and {} running requests", model.device(),
                        queue.size(), running.size(), fatal);
            }
            staged.clear();
            for (QueuedRequest q : queue.drain()) {
                q.request().future().completeExceptionally(fatal);
            }
            for (Sequence seq : running.sequences()) {
                seq.request().future().completeExceptionally(fatal);
            }
            for (QueuedRequest q : scoringNow) {
                q.request().future().completeExceptionally(fatal);
            }
            scoringNow.clear();
            try {
                running.clear();
            } catch (RuntimeException | Error ignored) {
                // the model is broken; its slots die with it
            }
        }
        return fatal;
    }

    private long now() {
        return nanoTime.getAsLong();
    }

    private void publish() {
        stats = new EngineStats(queue.size(), 0, running.size(), running.capacity(), budget.capacity(),
                budget.reserved(), completed);
    }
}
