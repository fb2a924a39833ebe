package dev.eveflink.model.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.eveflink.model.Prompt;
import dev.eveflink.model.generate.FinishReason;
import dev.eveflink.model.generate.SamplingParams;
import dev.eveflink.model.vision.VisualInput;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BatchSchedulerTest {
    private static final long MS = 1_000_000L;

    private final VirtualClock clock = new VirtualClock();
    private final FakeTokenizer tokenizer = new FakeTokenizer();
    private FakeSlotModel model;
    private BatchScheduler scheduler;
    private final Map<String, CompletableFuture<InferenceOutcome>> futures = new LinkedHashMap<>();

    private void start(EngineOptions options, int slots, int maxPositions) {
        model = new FakeSlotModel(slots, maxPositions, clock);
        scheduler = new BatchScheduler(model, tokenizer, options, clock);
    }

    /** Never holds requests back, so tests of other things see no waiting. */
    private static EngineOptions.Builder options() {
        return EngineOptions.builder().setMaxBatchSize(4).setMaxWait(Duration.ZERO);
    }

    private static EngineOptions.Builder waiting() {
        return options().setMaxWait(Duration.ofMillis(5));
    }

    private CompletableFuture<InferenceOutcome> offer(String id, Prompt prompt, int maxNew) {
        return offer(id, Task.GENERATE, prompt, SamplingParams.greedy(maxNew), InferenceRequest.DEFAULT_PRIORITY,
                PreparedRequest.NO_DEADLINE);
    }

    private CompletableFuture<InferenceOutcome> offer(String id, Task task, Prompt prompt, SamplingParams params,
            int priority, long deadlineNanos) {
        CompletableFuture<InferenceOutcome> f = new CompletableFuture<>();
        futures.put(id, f);
        scheduler.offer(new PreparedRequest(id, task, prompt, params, priority, deadlineNanos, clock.getAsLong(), f));
        return f;
    }

    private InferenceOutcome outcome(String id) {
        assertThat(futures.get(id)).as(id).isCompleted();
        return futures.get(id).join();
    }

    /** Ticks until nothing runs or waits; returns the ticks taken. */
    private int drain() {
        int ticks = 0;
        while (scheduler.idleNanos() != Long.MAX_VALUE) {
            long idle = scheduler.idleNanos();
            if (idle > 0) {
                clock.advance(Duration.ofNanos(idle));
            }
            scheduler.tick();
            assertThat(scheduler.stats().tokensReserved()).isLessThanOrEqualTo(scheduler.stats().tokenBudget());
            assertThat(++ticks).isLessThan(10_000);
        }
        return ticks;
    }

    @AfterEach
    void contractKept() {
        assertThat(model.violations).isEmpty();
    }

    @Test
    void singleRequestAtLowLoadIsPrefilledOnTheFirstTickWithoutWaiting() {
        start(options().build(), 4, 64);
        offer("a", FakeSlotModel.prompt(3, 7, 8), 16);
        assertThat(scheduler.idleNanos()).isZero();
        scheduler.tick();
        assertThat(model.takeCalls()).containsExactly("prefill [0]", "decode 1");
        drain();
        InferenceOutcome a = outcome("a");
        assertThat(a.status()).isEqualTo(OutcomeStatus.OK);
        assertThat(a.text()).isEqualTo("w7 w7 w7");
        assertThat(a.finishReason()).isEqualTo(FinishReason.EOS);
        assertThat(a.generatedTokens()).isEqualTo(4); // three words and EOS
        assertThat(a.promptTokens()).isEqualTo(8);
        assertThat(a.queueNanos()).isZero();
        assertThat(a.batchSize()).isEqualTo(1);
        assertThat(a.device()).isEqualTo("fake()");
    }

    @Test
    void finishedSequencesLeaveAndWaitingOnesJoinWhileALongOneKeepsRunning() {
        start(options().setMaxBatchSize(2).build(), 2, 64);
        offer("short", FakeSlotModel.prompt(2, 5, 6), 16); // 5, 5, EOS
        offer("long", FakeSlotModel.prompt(10, 6, 6), 16);
        offer("next", FakeSlotModel.prompt(1, 7, 6), 16);
        scheduler.tick();
        assertThat(model.takeCalls()).containsExactly("prefill [0, 1]", "decode 2");
        scheduler.tick(); // "short" emits EOS and leaves; "long" moves from slot 1 into slot 0
        assertThat(model.takeCalls()).containsExactly("decode 2", "release 0", "move 1->0");
        assertThat(outcome("short").text()).isEqualTo("w5 w5");
        assertThat(futures.get("next")).isNotCompleted();
        scheduler.tick(); // "next" joins in the free slot and decodes in the same step as "long"
        assertThat(model.takeCalls()).containsExactly("prefill [1]", "decode 2", "release 1");
        assertThat(outcome("next").text()).isEqualTo("w7");
        assertThat(futures.get("long")).isNotCompleted();
        drain();
        assertThat(outcome("long").generatedTokens()).isEqualTo(11);
        assertThat(outcome("next").queueNanos()).isZero(); // virtual time does not move in this test
    }

    @Test
    void compactionKeepsRunningSequencesInTheLowestSlots() {
        start(options().build(), 4, 64);
        offer("a", FakeSlotModel.prompt(9, 5, 6), 32);
        offer("b", FakeSlotModel.prompt(1, 6, 6), 32);
        offer("c", FakeSlotModel.prompt(1, 7, 6), 32);
        offer("d", FakeSlotModel.prompt(9, 8, 6), 32);
        scheduler.tick(); // b and c (slots 1, 2) finish; d moves down into the lowest free slot
        assertThat(model.takeCalls()).containsExactly("prefill [0, 1, 2, 3]", "decode 4", "release 2", "move 3->2",
                "release 1", "move 2->1");
        scheduler.tick();
        assertThat(model.takeCalls()).containsExactly("decode 2");
        drain();
        assertThat(outcome("a").text()).isEqualTo("w5 ".repeat(9).trim());
        assertThat(outcome("d").text()).isEqualTo("w8 ".repeat(9).trim());
    }

    @Test
    void tokenBudgetHoldsUnderABurstOfLongRequests() {
        // Each request reserves 20 prompt + 20 new = 40 tokens; a budget of 100 runs two at a time.
        start(options().setMaxBatchSize(8).setTokenBudget(100).build(), 8, 64);
        for (int i = 0; i < 20; i++) {
            offer("r" + i, FakeSlotModel.prompt(5, 5 + i, 20), 20);
        }
        int maxOccupied = 0;
        for (int ticks = 0; scheduler.idleNanos() != Long.MAX_VALUE; ticks++) {
            assertThat(ticks).isLessThan(1_000);
            assertThat(scheduler.idleNanos()).isZero(); // the budget, not the clock, limits the batch
            scheduler.tick();
            maxOccupied = Math.max(maxOccupied, scheduler.stats().running());
            assertThat(scheduler.stats().tokensReserved()).isLessThanOrEqualTo(100);
            assertThat(model.occupied() * 40).isLessThanOrEqualTo(100);
        }
        assertThat(maxOccupied).isEqualTo(2);
        for (int i = 0; i < 20; i++) {
            assertThat(outcome("r" + i).status()).isEqualTo(OutcomeStatus.OK);
        }
        assertThat(scheduler.stats().tokensReserved()).isZero();
        assertThat(scheduler.stats().completed()).isEqualTo(20);
    }

    @Test
    void aRequestThatCanNeverFitIsRejectedAtOnceWithoutTheModel() {
        start(options().setTokenBudget(30).build(), 4, 64);
        offer("big", FakeSlotModel.prompt(1, 5, 20), 20); // 40 > 30
        offer("huge", FakeSlotModel.prompt(1, 5, 70), 20); // more positions than the model has
        assertThat(outcome("big").status()).isEqualTo(OutcomeStatus.REJECTED);
        assertThat(outcome("big").errorCode()).isEqualTo(ErrorCodes.TOKEN_BUDGET_EXCEEDED);
        assertThat(outcome("huge").errorCode()).isEqualTo(ErrorCodes.PROMPT_TOO_LONG);
        assertThat(model.calls).isEmpty();
        assertThat(scheduler.idleNanos()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void aPromptTheModelRefusesIsRejectedAsInvalid() {
        start(options().build(), 4, 64);
        offer("odd", Prompt.textOnly(new int[] {FakeTokenizer.BOS, FakeSlotModel.UNMEASURABLE}), 4);
        assertThat(outcome("odd").status()).isEqualTo(OutcomeStatus.REJECTED);
        assertThat(outcome("odd").errorCode()).isEqualTo(ErrorCodes.INVALID_REQUEST);
        assertThat(scheduler.isDead()).isFalse();
    }

    @Test
    void serviceOrderIsPriorityThenDeadlineThenArrival() {
        start(options().setMaxBatchSize(1).build(), 1, 64);
        long now = clock.getAsLong();
        Prompt p = FakeSlotModel.prompt(1, 5, 6);
        SamplingParams g = SamplingParams.greedy(4);
        offer("low", Task.GENERATE, p, g, 1, PreparedRequest.NO_DEADLINE);
        offer("mid-late", Task.GENERATE, p, g, 5, now + 900 * MS);
        offer("mid-none-1", Task.GENERATE, p, g, 5, PreparedRequest.NO_DEADLINE);
        offer("high", Task.GENERATE, p, g, 9, PreparedRequest.NO_DEADLINE);
        offer("mid-early", Task.GENERATE, p, g, 5, now + 500 * MS);
        offer("mid-none-2", Task.GENERATE, p, g, 5, PreparedRequest.NO_DEADLINE);
        List<String> order = new ArrayList<>();
        futures.forEach((id, f) -> f.thenRun(() -> order.add(id)));
        drain();
        assertThat(order).containsExactly("high", "mid-early", "mid-late", "mid-none-1", "mid-none-2", "low");
    }

    @Test
    void expiredRequestsAreShedWithoutTouchingTheModel() {
        start(options().build(), 4, 64);
        long now = clock.getAsLong();
        offer("late", Task.GENERATE, FakeSlotModel.prompt(1, 5, 6), SamplingParams.greedy(4), 5, now + 2 * MS);
        clock.advance(Duration.ofMillis(3));
        assertThat(scheduler.tick()).isTrue();
        InferenceOutcome late = outcome("late");
        assertThat(late.status()).isEqualTo(OutcomeStatus.TIMEOUT);
        assertThat(late.errorCode()).isEqualTo(ErrorCodes.DEADLINE_EXCEEDED);
        assertThat(late.totalNanos()).isEqualTo(3 * MS);
        assertThat(model.calls).isEmpty();
    }

    @Test
    void aRunningSequenceWhoseDeadlinePassesIsStoppedAndItsSlotReleased() {
        start(options().build(), 4, 64);
        long now = clock.getAsLong();
        model.cost(0, MS);
        offer("slow", Task.GENERATE, FakeSlotModel.prompt(40, 5, 6), SamplingParams.greedy(50), 5, now + 3 * MS);
        offer("free", FakeSlotModel.prompt(40, 6, 6), 50);
        scheduler.tick();
        scheduler.tick();
        scheduler.tick(); // 3 decode steps of 1 ms: the deadline has passed
        scheduler.tick();
        assertThat(outcome("slow").status()).isEqualTo(OutcomeStatus.TIMEOUT);
        assertThat(model.occupied()).isEqualTo(1);
        drain();
        assertThat(outcome("free").status()).isEqualTo(OutcomeStatus.OK);
    }

    @Test
    void aDeepQueueFillsTheBatch() {
        start(options().build(), 4, 64);
        for (int i = 0; i < 10; i++) {
            offer("r" + i, FakeSlotModel.prompt(30, 5, 6), 32);
        }
        scheduler.tick();
        assertThat(model.prefills.get(0)).containsExactly(0, 1, 2, 3);
        assertThat(scheduler.stats().running()).isEqualTo(4);
        assertThat(scheduler.stats().occupancy()).isEqualTo(1.0);
        assertThat(scheduler.stats().queueDepth()).isEqualTo(6);
    }

    @Test
    void anIdleEngineWaitsForCompanyOnlyWhenArrivalsPredictIt() {
        start(waiting().build(), 4, 64);
        offer("a", FakeSlotModel.prompt(1, 5, 6), 4);
        clock.advance(Duration.ofMillis(1));
        offer("b", FakeSlotModel.prompt(1, 5, 6), 4);
        // One arrival per ms, the oldest waited 1 ms of 5: another arrival is expected, so wait.
        assertThat(scheduler.tick()).isFalse();
        assertThat(model.calls).isEmpty();
        assertThat(scheduler.idleNanos()).isEqualTo(4 * MS);
        clock.advance(Duration.ofMillis(1));
        offer("c", FakeSlotModel.prompt(1, 5, 6), 4);
        assertThat(scheduler.tick()).isFalse();
        clock.advance(Duration.ofMillis(1));
        offer("d", FakeSlotModel.prompt(1, 5, 6), 4);
        scheduler.tick(); // four waiting = a full batch: go
        assertThat(model.prefills.get(0)).containsExactly(0, 1, 2, 3);
        assertThat(outcome("a").queueNanos()).isEqualTo(3 * MS);
        assertThat(outcome("a").batchSize()).isEqualTo(4);
    }

    @Test
    void waitingNeverExceedsMaxWaitEvenWhileArrivalsKeepComing() {
        start(waiting().setMaxBatchSize(8).build(), 8, 64);
        for (int i = 0; i < 5; i++) {
            if (i > 0) {
                clock.advance(Duration.ofMillis(1));
            }
            offer("r" + i, FakeSlotModel.prompt(1, 5, 6), 4);
            if (i > 0) { // r0 alone gives no arrival estimate yet
                assertThat(scheduler.tick()).isFalse();
            }
        }
        assertThat(model.calls).isEmpty();
        assertThat(scheduler.idleNanos()).isEqualTo(MS); // the next arrival is due, but r0 has waited 4 ms
        clock.advance(Duration.ofMillis(1));
        assertThat(scheduler.idleNanos()).isZero();
        scheduler.tick();
        assertThat(model.prefills.get(0)).containsExactly(0, 1, 2, 3, 4);
        assertThat(outcome("r0").queueNanos()).isEqualTo(5 * MS);
    }

    @Test
    void anOverdueStreamStopsTheWaiting() {
        start(waiting().build(), 4, 64);
        offer("a", FakeSlotModel.prompt(1, 5, 6), 4);
        clock.advance(Duration.ofMillis(1));
        offer("b", FakeSlotModel.prompt(1, 5, 6), 4);
        assertThat(scheduler.tick()).isFalse();
        // The arrival due at 2 ms did not come; at 4.5 ms one more mean gap (1 ms) would pass maxWait.
        clock.advance(Duration.ofMillis(3).plusNanos(MS / 2));
        assertThat(scheduler.idleNanos()).isZero();
        scheduler.tick();
        assertThat(outcome("a").queueNanos()).isEqualTo(4 * MS + MS / 2);
    }

    @Test
    void sparseArrivalsAreDispatchedAtOnce() {
        start(waiting().build(), 4, 64);
        offer("a", FakeSlotModel.prompt(1, 5, 6), 4);
        drain();
        clock.advance(Duration.ofMillis(20));
        offer("b", FakeSlotModel.prompt(1, 5, 6), 4);
        // The mean gap (20 ms) is longer than maxWait (5 ms): waiting cannot pay.
        assertThat(scheduler.idleNanos()).isZero();
        scheduler.tick();
        assertThat(outcome("b").queueNanos()).isZero();
    }

    @Test
    void aBurstThatTheTokenBudgetCannotTakeWholeIsDispatchedWithoutWaiting() {
        start(waiting().setTokenBudget(80).build(), 4, 64);
        offer("a", FakeSlotModel.prompt(1, 5, 20), 20);
        offer("b", FakeSlotModel.prompt(1, 5, 20), 20);
        offer("c", FakeSlotModel.prompt(1, 5, 20), 20); // 3 x 40 > 80: waiting cannot grow the batch
        assertThat(scheduler.idleNanos()).isZero();
        scheduler.tick();
        assertThat(model.prefills.get(0)).containsExactly(0, 1);
    }

    @Test
    void longPromptsArePrefilledAcrossIterationsWhileRunningSequencesDecode() {
        start(options().setMaxPrefillTokens(50).build(), 4, 128);
        for (int i = 0; i < 3; i++) {
            offer("r" + i, FakeSlotModel.prompt(20, 5, 40), 32);
        }
        scheduler.tick();
        scheduler.tick();
        scheduler.tick();
        assertThat(model.takeCalls()).containsExactly("prefill [0]", "decode 1", "prefill [1]", "decode 2",
                "prefill [2]", "decode 3");
    }

    @Test
    void scoringTakesNoSlotAndNeverDecodes() {
        start(options().build(), 4, 64);
        offer("yes", Task.SCORE_YES_NO, FakeSlotModel.prompt(1, FakeTokenizer.YES, 6), SamplingParams.greedy(1), 5,
                PreparedRequest.NO_DEADLINE);
        offer("no", Task.SCORE_YES_NO, FakeSlotModel.prompt(1, FakeTokenizer.NO, 6), SamplingParams.greedy(1), 5,
                PreparedRequest.NO_DEADLINE);
        scheduler.tick();
        assertThat(model.takeCalls()).containsExactly("score [1, 1]");
        assertThat(outcome("yes").pYes()).isGreaterThan(0.99);
        assertThat(outcome("yes").scores()).singleElement().satisfies(s -> assertThat(s.score()).isGreaterThan(0.99));
        assertThat(outcome("no").pNo()).isGreaterThan(0.99);
        assertThat(outcome("no").text()).isNull();
        assertThat(outcome("no").batchSize()).isEqualTo(2);
        assertThat(model.occupied()).isZero();
        assertThat(scheduler.stats().tokensReserved()).isZero();
    }

    /**
     * K questions about one prompt prefix: {@code [BOS, filler x3, SCRIPT, 1, answer_i]}, answer i
     * alternating yes/no, so the shared prefix is 6 tokens and each question keeps 1 of its own.
     */
    private static List<Prompt> questions(int k) {
        List<Prompt> prompts = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            int answer = i % 2 == 0 ? FakeTokenizer.YES : FakeTokenizer.NO;
            prompts.add(Prompt.textOnly(new int[] {FakeTokenizer.BOS, FakeTokenizer.FILLER, FakeTokenizer.FILLER,
                FakeTokenizer.FILLER, FakeSlotModel.SCRIPT, 1, answer}));
        }
        return prompts;
    }

    private CompletableFuture<InferenceOutcome> offerScoring(String id, List<Prompt> prompts) {
        CompletableFuture<InferenceOutcome> f = new CompletableFuture<>();
        futures.put(id, f);
        scheduler.offer(new PreparedRequest(id, Task.SCORE_YES_NO, prompts, SamplingParams.greedy(1),
                InferenceRequest.DEFAULT_PRIORITY, PreparedRequest.NO_DEADLINE, clock.getAsLong(), f));
        return f;
    }

    @Test
    void kQuestionsOfOneRequestArriveInOneScoringCallAndComeBackInOrder() {
        start(options().build(), 4, 64);
        offerScoring("m", questions(8));
        offerScoring("n", questions(3));
        scheduler.tick();
        assertThat(model.scoreCalls).containsExactly(List.of(8, 3));
        assertThat(model.takeCalls()).containsExactly("score [8, 3]");
        InferenceOutcome m = outcome("m");
        assertThat(m.status()).isEqualTo(OutcomeStatus.OK);
        assertThat(m.scores()).hasSize(8);
        for (int i = 0; i < 8; i++) {
            double score = m.scores().get(i).score();
            assertThat(score).as("question %d", i).isCloseTo(i % 2 == 0 ? 1.0 : 0.0,
                    within(1e-6));
        }
        assertThat(m.pYes()).isEqualTo(m.scores().get(0).pYes());
        assertThat(m.promptTokens()).isEqualTo(6 + 8); // the shared prefix once, then each question's own token
        assertThat(m.batchSize()).isEqualTo(2);
        assertThat(outcome("n").scores()).hasSize(3);
        assertThat(scheduler.stats().tokensReserved()).isZero();
    }

    @Test
    void scoringJoinsWhileEverySlotIsBusyAndGenerateJoinersStillPrefill() {
        start(options().setMaxBatchSize(1).build(), 1, 64);
        offer("long", FakeSlotModel.prompt(5, 5, 6), 8);
        scheduler.tick();
        assertThat(model.takeCalls()).containsExactly("prefill [0]", "decode 1");
        offerScoring("m", questions(4));
        scheduler.tick();
        assertThat(model.takeCalls()).containsExactly("score [4]", "decode 1");
        assertThat(outcome("m").scores()).hasSize(4);
        assertThat(futures.get("long")).isNotCompleted();
        drain();
        assertThat(outcome("long").status()).isEqualTo(OutcomeStatus.OK);
        assertThat(model.violations).isEmpty();
    }

    @Test
    void scoringAndGenerateJoinersAdmittedTogetherTakeOneCallEach() {
        start(options().build(), 4, 64);
        offer("g", FakeSlotModel.prompt(2, 5, 6), 8);
        offerScoring("m", questions(2));
        scheduler.tick();
        assertThat(model.takeCalls()).containsExactly("score [2]", "prefill [0]", "decode 1");
        assertThat(outcome("m").scores()).hasSize(2);
        assertThat(outcome("m").batchSize()).isEqualTo(1);
        drain();
        assertThat(outcome("g").status()).isEqualTo(OutcomeStatus.OK);
        assertThat(model.violations).isEmpty();
    }

    @Test
    void questionsThatDivergeBeforeTheImageAreRefused() {
        start(options().build(), 4, 64);
        VisualInput image = new VisualInput(new float[3 * 16 * 16], 16, 16);
        List<Prompt> prompts = List.of(
                new Prompt(new int[] {FakeTokenizer.BOS, 7, Prompt.IMAGE_TOKEN_ID, 8}, image),
                new Prompt(new int[] {FakeTokenizer.BOS, 9, Prompt.IMAGE_TOKEN_ID, 8}, image));
        offerScoring("bad", prompts);
        assertThat(outcome("bad").status()).isEqualTo(OutcomeStatus.REJECTED);
        assertThat(outcome("bad").errorCode()).isEqualTo(ErrorCodes.INVALID_REQUEST);
        assertThat(model.takeCalls()).isEmpty();
    }

    @Test
    void aFailedScoringCallIsSplitAndRetriedOnceThenFails() {
        start(options().build(), 4, 64);
        model.failNextScores(1);
        offerScoring("a", questions(2));
        offerScoring("b", questions(2));
        scheduler.tick();
        assertThat(model.takeCalls()).containsExactly("score [2, 2]", "score [2]", "score [2]");
        assertThat(outcome("a").scores()).hasSize(2);
        assertThat(outcome("b").status()).isEqualTo(OutcomeStatus.OK);

        model.failNextScores(2);
        offerScoring("c", questions(2));
        scheduler.tick();
        assertThat(model.takeCalls()).containsExactly("score [2]", "score [2]");
        assertThat(outcome("c").status()).isEqualTo(OutcomeStatus.FAILED);
        assertThat(outcome("c").errorCode()).isEqualTo(ErrorCodes.MODEL_ERROR);
        assertThat(outcome("c").scores()).isEmpty();
        assertThat(scheduler.stats().tokensReserved()).isZero();
    }

    @Test
    void scoringRespectsThePerIterationPrefillLimit() {
        start(options().setMaxPrefillTokens(20).build(), 4, 64);
        offerScoring("a", questions(8)); // 6 + 8 = 14 tokens
        offerScoring("b", questions(8));
        scheduler.tick();
        assertThat(model.takeCalls()).containsExactly("score [8]");
        scheduler.tick();
        assertThat(model.takeCalls()).containsExactly("score [8]");
        assertThat(outcome("b").scores()).hasSize(8);
    }

    @Test
    void limitsStopStringsAndAFullContextEndGeneration() {
        start(options().build(), 4, 64);
        offer("limit", FakeSlotModel.prompt(30, 5, 6), 3);
        offer("context", FakeSlotModel.prompt(30, 6, 60), 30); // 64 - 60 + 1 = 5 tokens fit
        offer("stop", Task.GENERATE, FakeSlotModel.prompt(30, 7, 6),
                SamplingParams.greedy(30).withStopStrings(List.of("w7 w7 w7")), 5, PreparedRequest.NO_DEADLINE);
        drain();
        assertThat(outcome("limit").finishReason()).isEqualTo(FinishReason.LENGTH);
        assertThat(outcome("limit").generatedTokens()).isEqualTo(3);
        assertThat(outcome("context").finishReason()).isEqualTo(FinishReason.LENGTH);
        assertThat(outcome("context").generatedTokens()).isEqualTo(5);
        assertThat(outcome("stop").finishReason()).isEqualTo(FinishReason.STOP_STRING);
        assertThat(outcome("stop").text()).isEmpty();
        assertThat(outcome("stop").generatedTokens()).isEqualTo(3);
    }

    @Test
    void aFailedPrefillIsSplitAndRetriedOnceThenItsMembersFailOneByOne() {
        start(options().build(), 4, 64);
        offer("a", FakeSlotModel.poisoned(6), 4);
        offer("b", FakeSlotModel.prompt(1, 5, 6), 4);
        offer("c", FakeSlotModel.prompt(1, 6, 6), 4);
        offer("d", FakeSlotModel.prompt(1, 7, 6), 4);
        scheduler.tick();
        assertThat(model.prefills).extracting(s -> s.length).containsExactly(4, 2, 2);
        assertThat(model.prefills.get(2)).containsExactly(0, 1); // the good half takes the lowest slots
        for (String id : List.of("a", "b")) {
            assertThat(outcome(id).status()).isEqualTo(OutcomeStatus.FAILED);
            assertThat(outcome(id).errorCode()).isEqualTo(ErrorCodes.MODEL_ERROR);
            assertThat(outcome(id).errorMessage()).contains("request " + id);
        }
        drain();
        assertThat(outcome("c").text()).isEqualTo("w6");
        assertThat(outcome("d").text()).isEqualTo("w7");
        assertThat(scheduler.isDead()).isFalse();
    }

    @Test
    void aSingleJoinerWhosePrefillFailsOnceIsRetriedAlone() {
        start(options().build(), 4, 64);
        model.failNextPrefills(1);
        offer("a", FakeSlotModel.prompt(1, 5, 6), 4);
        drain();
        assertThat(model.prefills).hasSize(2);
        assertThat(outcome("a").status()).isEqualTo(OutcomeStatus.OK);
    }

    @Test
    void aFailedDecodeFailsTheRunningSequencesAndFreesTheirSlots() {
        start(options().setMaxBatchSize(2).build(), 2, 64);
        offer("a", FakeSlotModel.prompt(5, 5, 6), 8);
        offer("b", FakeSlotModel.prompt(5, 6, 6), 8);
        offer("c", FakeSlotModel.prompt(1, 7, 6), 8);
        model.failNextDecodes(1);
        scheduler.tick();
        assertThat(outcome("a").status()).isEqualTo(OutcomeStatus.FAILED);
        assertThat(outcome("b").errorCode()).isEqualTo(ErrorCodes.MODEL_ERROR);
        assertThat(model.occupied()).isZero();
        assertThat(scheduler.stats().tokensReserved()).isZero();
        drain();
        assertThat(outcome("c").status()).isEqualTo(OutcomeStatus.OK);
    }

    @Test
    void aFatalFailureFailsEveryPendingFutureAndRefusesMoreWork() {
        start(options().setMaxBatchSize(2).build(), 2, 64);
        for (String id : List.of("a", "b", "c")) {
            offer(id, FakeSlotModel.prompt(5, 5, 6), 8);
        }
        model.throwOnDecode(() -> new EngineFatalException("device lost"));
        assertThatThrownBy(() -> scheduler.tick()).isInstanceOf(EngineFatalException.class)
                .hasMessageContaining("device lost");
        for (String id : List.of("a", "b", "c")) {
            assertThat(futures.get(id)).isCompletedExceptionally();
            assertThatThrownBy(() -> futures.get(id).join()).isInstanceOf(CompletionException.class)
                    .hasCauseInstanceOf(EngineFatalException.class);
        }
        offer("after", FakeSlotModel.prompt(1, 5, 6), 4);
        assertThat(futures.get("after")).isCompletedExceptionally();
        assertThat(scheduler.idleNanos()).isEqualTo(Long.MAX_VALUE);
        assertThatThrownBy(() -> scheduler.tick()).isInstanceOf(EngineFatalException.class);
    }

    @Test
    void anErrorFromTheModelIsFatal() {
        start(options().build(), 4, 64);
        offer("a", FakeSlotModel.prompt(5, 5, 6), 8);
        model.throwOnDecode(() -> new OutOfMemoryError("simulated"));
        assertThatThrownBy(() -> scheduler.tick()).isInstanceOf(EngineFatalException.class)
                .hasCauseInstanceOf(OutOfMemoryError.class);
        assertThat(futures.get("a")).isCompletedExceptionally();
    }

    @Test
    void repeatedModelFailuresBecomeFatal() {
        start(options().setMaxBatchSize(2).setMaxConsecutiveFailures(2).build(), 2, 64);
        offer("a", FakeSlotModel.prompt(5, 5, 6), 8);
        model.failNextDecodes(2);
        scheduler.tick();
        assertThat(outcome("a").status()).isEqualTo(OutcomeStatus.FAILED);
        offer("b", FakeSlotModel.prompt(5, 5, 6), 8);
        offer("c", FakeSlotModel.prompt(5, 5, 6), 8);
        offer("d", FakeSlotModel.prompt(5, 5, 6), 8);
        assertThatThrownBy(() -> scheduler.tick()).isInstanceOf(EngineFatalException.class)
                .hasMessageContaining("2 decode failures in a row");
        assertThat(outcome("b").errorCode()).isEqualTo(ErrorCodes.MODEL_ERROR); // its batch failed normally
        assertThat(futures.get("d")).isCompletedExceptionally(); // still queued when the engine gave up
    }

    @Test
    void aFullQueueRejectsWithQueueFull() {
        start(options().setQueueCapacity(2).build(), 4, 64);
        offer("a", FakeSlotModel.prompt(1, 5, 6), 4);
        offer("b", FakeSlotModel.prompt(1, 5, 6), 4);
        offer("c", FakeSlotModel.prompt(1, 5, 6), 4);
        assertThat(outcome("c").errorCode()).isEqualTo(ErrorCodes.QUEUE_FULL);
        assertThat(scheduler.stats().queueDepth()).isEqualTo(2);
    }
}
