package dev.eveflink.operators.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eveflink.model.engine.EngineKey;
import dev.eveflink.model.engine.EnginePool;
import dev.eveflink.model.engine.InferenceOutcome;
import dev.eveflink.model.policy.ModerationPolicy;
import dev.eveflink.model.policy.PolicySet;
import dev.eveflink.operators.avro.ImageEvent;
import dev.eveflink.operators.avro.InferenceResult;
import dev.eveflink.operators.avro.ResultStatus;
import dev.eveflink.operators.errors.ErrorCode;
import dev.eveflink.operators.testutils.FakeEngine;
import dev.eveflink.operators.testutils.ImageEvents;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.apache.flink.formats.avro.typeutils.AvroSerializer;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.operators.testutils.MockEnvironment;
import org.apache.flink.runtime.operators.testutils.MockEnvironmentBuilder;
import org.apache.flink.streaming.api.datastream.AsyncDataStream;
import org.apache.flink.streaming.api.operators.async.AsyncWaitOperatorFactory;
import org.apache.flink.streaming.runtime.tasks.mailbox.TaskMailbox;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link EveAsyncFunction} inside Flink's real {@code AsyncWaitOperator}, driven by a test harness
 * and a {@link FakeEngine} whose answers the test releases one by one.
 */
class EveAsyncFunctionTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private String name;
    private FakeEngine engine;
    private InferenceOptions options;
    /** Records a failExternally call (what fails the task in a real TaskManager). */
    private MockEnvironment environment;

    @BeforeEach
    void freshEngine() {
        // A unique engine key per test: the JVM-wide pool must not hand one test another's engine.
        name = "harness-" + UUID.randomUUID();
        engine = FakeEngine.register(name);
        environment = new MockEnvironmentBuilder().build();
        // Without an expected cause, MockEnvironment throws on failExternally instead of recording.
        environment.setExpectedExternalFailureCause(Throwable.class);
        options =
                InferenceOptions.builder("/models/eve-tiny")
                        .setDevice("cpu")
                        .setCapacity(8)
                        .setMaxBatchSize(4)
                        .setTimeout(TIMEOUT)
                        .setEngineOptions(Map.of("test", name))
                        .build();
    }

    @Test
    void aSnapshotWithRequestsInFlightIsReplayedWithoutLossOrDuplicates() throws Exception {
        var first = open(null);
        for (int i = 1; i <= 6; i++) {
            first.processElement(event(i), i);
        }
        engine.answer("event-1");
        engine.answer("event-2");
        drain(first);
        assertThat(ids(first)).containsExactlyInAnyOrder("event-1", "event-2");

        // Checkpoint with 3..6 in flight; what was emitted so far is "committed" downstream.
        OperatorSubtaskState snapshot = first.snapshot(1L, 1L);
        List<String> committed = ids(first);

        // After the checkpoint the old task still emits event-3, then fails: that output is lost.
        engine.answer("event-3");
        drain(first);
        assertThat(ids(first)).contains("event-3");

        var second = open(snapshot);
        // The restored operator resubmitted exactly the in-flight events, to the same engine.
        assertThat(engine.pendingIds())
                .containsSubsequence("event-4", "event-5", "event-6")
                .filteredOn(id -> id.equals("event-3"))
                .hasSize(1);
        assertThat(engine.loads()).isEqualTo(1);
        assertThat(EnginePool.shared().activeLeases(key())).isEqualTo(2);

        second.processElement(event(7), 7);
        for (int i = 3; i <= 7; i++) {
            engine.answer("event-" + i);
        }
        drain(second);

        List<String> all = new ArrayList<>(committed);
        all.addAll(ids(second));
        assertThat(all)
                .containsExactlyInAnyOrderElementsOf(
                        IntStream.rangeClosed(1, 7).mapToObj(i -> "event-" + i).toList());
        assertThat(second.extractOutputValues())
                .allSatisfy(r -> assertThat(r.getStatus()).isEqualTo(ResultStatus.OK));
        assertThat(second.wasFailedExternally()).isFalse();
        assertThat(environment.getActualExternalFailureCause()).isEmpty();

        second.close();
        first.close();
        assertThat(EnginePool.shared().activeLeases(key())).isZero();
        assertThat(engine.closes()).isEqualTo(1);
    }

    @Test
    void theOperatorTimeoutEmitsATimeoutResultAndALateAnswerIsDropped() throws Exception {
        var harness = open(null);
        harness.processElement(event(1), 1);
        harness.setProcessingTime(TIMEOUT.toMillis());
        drain(harness);

        InferenceResult result = single(harness);
        assertThat(result.getStatus()).isEqualTo(ResultStatus.TIMEOUT);
        assertThat(result.getError().getCode()).isEqualTo(ErrorCode.OPERATOR_TIMEOUT.name());
        assertThat(harness.wasFailedExternally()).isFalse();
        assertThat(environment.getActualExternalFailureCause()).isEmpty();

        engine.answer("event-1");
        drain(harness);
        assertThat(harness.extractOutputValues()).hasSize(1);
        harness.close();
    }

    @Test
    void anExceptionallyCompletedEngineFutureFailsTheTask() throws Exception {
        var harness = open(null);
        harness.processElement(event(1), 1);
        engine.crash("event-1", new IllegalStateException("CUDA error: device lost"));
        drain(harness);

        assertThat(environment.getActualExternalFailureCause())
                .get()
                .satisfies(
                        failure ->
                                assertThat(failure)
                                        .rootCause()
                                        .hasMessageContaining("device lost"))
                .satisfies(
                        failure ->
                                assertThat(failure)
                                        .hasCauseInstanceOf(EngineFailureException.class)
                                        .cause()
                                        .hasMessageContaining("event-1")
                                        .hasMessageContaining("cpu()"));
        assertThat(harness.extractOutputValues()).isEmpty();
        harness.close();
    }

    @Test
    void recordLevelProblemsBecomeRejectedResultsWithoutReachingTheEngine() throws Exception {
        var harness = open(null);
        harness.processElement(ImageEvents.caption("empty", new byte[0]), 1);
        harness.processElement(ImageEvents.moderateFull("moderate"), 2);
        drain(harness);

        assertThat(harness.extractOutputValues())
                .extracting(r -> r.getId() + ":" + r.getStatus() + ":" + r.getError().getCode())
                .containsExactlyInAnyOrder(
                        "empty:REJECTED:" + ErrorCode.IMAGE_EMPTY,
                        "moderate:REJECTED:" + ErrorCode.MODERATION_UNAVAILABLE);
        assertThat(engine.submissions()).isEmpty();
        assertThat(harness.wasFailedExternally()).isFalse();
        assertThat(environment.getActualExternalFailureCause()).isEmpty();
        harness.close();
    }

    @Test
    void anOkAnswerIsMappedWithTheDeviceOfTheEngine() throws Exception {
        var harness = open(null);
        harness.processElement(event(1), 1);
        engine.answer("event-1");
        drain(harness);

        InferenceResult result = single(harness);
        assertThat(result.getStatus()).isEqualTo(ResultStatus.OK);
        assertThat(result.getText()).isEqualTo(engine.ok(engine.submissions().get(0).request()).text());
        assertThat(result.getDevice()).isEqualTo("cpu()");
        assertThat(result.getModelId()).isEqualTo("eve-tiny");
        assertThat(engine.devices()).containsExactly("cpu()");
        harness.close();
    }

    @Test
    void aModerateEventScoresEveryPolicyAndCompletesOnceWithAllVerdicts() throws Exception {
        ModerationPolicy violence = ModerationPolicy.of("violence", "Violent?", 0.5, 0.9);
        ModerationPolicy nudity = ModerationPolicy.of("nudity", "Nude?", 0.3, 0.6);
        options = options.toBuilder().setPolicies(new PolicySet("v1", List.of(violence, nudity))).build();
        var harness = open(null);
        ImageEvent event = ImageEvents.moderateFull("m1");
        event.setPolicies(null); // every configured policy
        harness.processElement(event, 1);
        drain(harness);

        assertThat(engine.submissions())
                .singleElement()
                .satisfies(s -> assertThat(s.request().questions()).containsExactly("Violent?", "Nude?"));
        assertThat(harness.extractOutputValues()).as("no result before every policy is scored").isEmpty();

        engine.answer("m1");
        drain(harness);
        InferenceResult result = single(harness);
        InferenceOutcome scored = engine.ok(engine.submissions().get(0).request());
        double violenceScore = scored.scores().get(0).score();
        double nudityScore = scored.scores().get(1).score();
        assertThat(result.getStatus()).isEqualTo(ResultStatus.OK);
        assertThat(result.getPolicies())
                .extracting(v -> v.getPolicyId() + ":" + v.getScore() + ":" + v.getDecision())
                .containsExactly(
                        "violence:" + (float) violenceScore + ":" + violence.decide(violenceScore),
                        "nudity:" + (float) nudityScore + ":" + nudity.decide(nudityScore));
        assertThat(result.getDecision().name())
                .isEqualTo(violence.decide(violenceScore).max(nudity.decide(nudityScore)).name());
        assertThat(result.getPolicySetVersion()).isEqualTo("v1");
        assertThat(result.getFlagged()).isTrue();

        // The operator timeout after the answer emits nothing more: one result per event.
        harness.setProcessingTime(TIMEOUT.toMillis());
        drain(harness);
        assertThat(harness.extractOutputValues()).hasSize(1);
        harness.close();
    }

    @Test
    void askingForAGpuWhereNoneIsReportedFailsAtOpen() throws Exception {
        options = options.toBuilder().setDevice("gpu").build();
        assertThatThrownBy(() -> open(null))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("reports none");
        assertThat(engine.loads()).isZero();
    }

    private EngineKey key() {
        return options.engineKey("cpu()");
    }

    private OneInputStreamOperatorTestHarness<ImageEvent, InferenceResult> open(
            OperatorSubtaskState restore) throws Exception {
        var harness =
                new OneInputStreamOperatorTestHarness<>(
                        new AsyncWaitOperatorFactory<>(
                                new EveAsyncFunction(options, FakeEngine.factory(name)),
                                options.timeoutMillis(),
                                options.capacity(),
                                AsyncDataStream.OutputMode.UNORDERED),
                        new AvroSerializer<>(ImageEvent.class),
                        environment);
        harness.setup(new AvroSerializer<>(InferenceResult.class));
        if (restore != null) {
            harness.initializeState(restore);
        }
        harness.open();
        return harness;
    }

    /** Runs the mails in which the async operator emits completed results (the task thread). */
    private static void drain(OneInputStreamOperatorTestHarness<?, ?> harness) throws Exception {
        TaskMailbox mailbox = harness.getTaskMailbox();
        while (mailbox.hasMail()) {
            mailbox.take(TaskMailbox.MIN_PRIORITY).run();
        }
    }

    private static ImageEvent event(int i) {
        return ImageEvents.numbered(i);
    }

    private static List<String> ids(OneInputStreamOperatorTestHarness<?, InferenceResult> harness) {
        return harness.extractOutputValues().stream().map(InferenceResult::getId).toList();
    }

    private static InferenceResult single(
            OneInputStreamOperatorTestHarness<?, InferenceResult> harness) {
        assertThat(harness.extractOutputValues()).hasSize(1);
        return harness.extractOutputValues().get(0);
    }
}
