package dev.eveflink.operators.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.eveflink.model.engine.InferenceOutcome;
import dev.eveflink.model.generate.YesNoScore;
import dev.eveflink.model.policy.ModerationPolicy;
import dev.eveflink.model.policy.PolicyAction;
import dev.eveflink.model.policy.PolicySet;
import dev.eveflink.operators.avro.ImageEvent;
import dev.eveflink.operators.avro.InferenceResult;
import dev.eveflink.operators.avro.PolicyOrigin;
import dev.eveflink.operators.avro.ResultStatus;
import dev.eveflink.operators.errors.ErrorCode;
import dev.eveflink.operators.moderation.AttachedPolicies;
import dev.eveflink.operators.testutils.FakeEngine;
import dev.eveflink.operators.testutils.ImageEvents;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.flink.formats.avro.typeutils.AvroSerializer;
import org.apache.flink.runtime.operators.testutils.MockEnvironmentBuilder;
import org.apache.flink.streaming.api.datastream.AsyncDataStream;
import org.apache.flink.streaming.api.operators.async.AsyncWaitOperatorFactory;
import org.apache.flink.streaming.runtime.tasks.mailbox.TaskMailbox;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link EveAsyncFunction} scores MODERATE against the policy set the job attached to the event. */
class EveAsyncFunctionAttachedPoliciesTest {

    private static final ModerationPolicy CONFIGURED = ModerationPolicy.of("violence", "Violent?", 0.5, 0.9);

    private String name;
    private FakeEngine engine;
    private InferenceOptions options;

    @BeforeEach
    void freshEngine() {
        name = "attached-" + UUID.randomUUID();
        engine = FakeEngine.register(name);
        options = InferenceOptions.builder("/models/eve-tiny")
                .setDevice("cpu")
                .setCapacity(8)
                .setTimeout(Duration.ofSeconds(5))
                .setEngineOptions(Map.of("test", name))
                .setPolicies(new PolicySet("configured-1", List.of(CONFIGURED)))
                .build();
    }

    @Test
    void theAttachedSetIsScoredInsteadOfTheConfiguredOne() throws Exception {
        ModerationPolicy weapons = new ModerationPolicy("weapons", "3", List.of("A weapon?"), 0.7, 0.8,
                PolicyAction.LABEL, Set.of());
        ImageEvent attached = moderate("attached");
        attached.setAttachedPolicies(AttachedPolicies.attach(new PolicySet("w-3", List.of(weapons)), "tenant-a",
                PolicyOrigin.TENANT));
        ImageEvent plain = moderate("plain");
        try (var harness = open()) {
            harness.processElement(attached, 1);
            harness.processElement(plain, 2);
            engine.answer("attached");
            engine.answer("plain");
            drain(harness);

            assertThat(engine.submissions()).extracting(s -> s.request().id() + ":" + s.request().question())
                    .containsExactly("attached:A weapon?", "plain:Violent?");
            double score = engine.ok(engine.submissions().get(0).request()).scores().get(0).score();
            assertThat(harness.extractOutputValues())
                    .extracting(r -> r.getId() + ":" + r.getPolicySetVersion() + ":"
                            + r.getPolicies().get(0).getPolicyId() + ":" + r.getPolicies().get(0).getDecision())
                    .containsExactlyInAnyOrder(
                            "attached:w-3:weapons:" + weapons.decide(score),
                            "plain:configured-1:violence:" + CONFIGURED.decide(score));
        }
    }

    @Test
    void anAttachedPolicyWithSeveralQuestionsAsksThemAll() throws Exception {
        ModerationPolicy twoQuestions = new ModerationPolicy("weapons", "1", List.of("A gun?", "A knife?"), 0.5, 0.5,
                PolicyAction.BLOCK, Set.of());
        ImageEvent event = moderate("two");
        event.setAttachedPolicies(AttachedPolicies.attach(new PolicySet("q-2", List.of(twoQuestions)), "tenant-a",
                PolicyOrigin.TENANT));
        try (var harness = open()) {
            harness.processElement(event, 1);
            engine.answer("two");
            drain(harness);

            // One scoring request with both questions: the image's prefix is prefilled once.
            assertThat(engine.submissions()).singleElement()
                    .satisfies(s -> assertThat(s.request().questions()).containsExactly("A gun?", "A knife?"));
            InferenceResult result = harness.extractOutputValues().get(0);
            assertThat(result.getStatus()).isEqualTo(ResultStatus.OK);
            InferenceOutcome answer = engine.ok(engine.submissions().get(0).request());
            double score = twoQuestions.combine(
                    answer.scores().stream().mapToDouble(YesNoScore::score).toArray());
            assertThat(result.getPolicies()).singleElement().satisfies(v -> {
                assertThat(v.getPolicyId()).isEqualTo("weapons");
                assertThat((double) v.getScore()).isCloseTo(score, within(1e-6));
                assertThat(v.getDecision().name()).isEqualTo(twoQuestions.decide(score).name());
            });
        }
    }

    @Test
    void anAttachedSetThatDoesNotConvertIsRejected() throws Exception {
        ImageEvent event = moderate("bad");
        var attached = AttachedPolicies.attach(new PolicySet("b-1", List.of(CONFIGURED)), "tenant-a",
                PolicyOrigin.TENANT);
        attached.getPolicies().get(0).setAction("BURN");
        event.setAttachedPolicies(attached);
        try (var harness = open()) {
            harness.processElement(event, 1);
            drain(harness);

            InferenceResult result = harness.extractOutputValues().get(0);
            assertThat(result.getStatus()).isEqualTo(ResultStatus.REJECTED);
            assertThat(result.getError().getCode()).isEqualTo(ErrorCode.MODERATION_UNAVAILABLE.name());
            assertThat(result.getError().getMessage()).contains("b-1", "'violence'", "BURN");
            assertThat(engine.submissions()).isEmpty();
        }
    }

    private static ImageEvent moderate(String id) {
        ImageEvent event = ImageEvents.moderateFull(id);
        event.setPolicies(null);
        event.setDeadline(null);
        return event;
    }

    private OneInputStreamOperatorTestHarness<ImageEvent, InferenceResult> open() throws Exception {
        var harness = new OneInputStreamOperatorTestHarness<>(
                new AsyncWaitOperatorFactory<>(new EveAsyncFunction(options, FakeEngine.factory(name)),
                        options.timeoutMillis(), options.capacity(), AsyncDataStream.OutputMode.UNORDERED),
                new AvroSerializer<>(ImageEvent.class), new MockEnvironmentBuilder().build());
        harness.setup(new AvroSerializer<>(InferenceResult.class));
        harness.open();
        return harness;
    }

    private static void drain(OneInputStreamOperatorTestHarness<?, ?> harness) throws Exception {
        TaskMailbox mailbox = harness.getTaskMailbox();
        while (mailbox.hasMail()) {
            mailbox.take(TaskMailbox.MIN_PRIORITY).run();
        }
    }
}
