package dev.eveflink.operators.moderation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eveflink.model.policy.PolicyFiles;
import dev.eveflink.model.policy.PolicySet;
import dev.eveflink.operators.avro.AttachedPolicySet;
import dev.eveflink.operators.avro.ImageEvent;
import dev.eveflink.operators.avro.PolicyOrigin;
import dev.eveflink.operators.testutils.ImageEvents;
import java.util.List;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithNonKeyedOperator;
import org.apache.flink.streaming.util.BroadcastOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** {@link PolicyAttachFunction} in Flink's real broadcast operator, through its test harness. */
class PolicyAttachFunctionTest {

    private static final PolicySet DEFAULTS = PolicyFixtures.defaults();

    @Test
    void withoutUpdatesEveryTenantGetsTheJobsDefault() throws Exception {
        try (var harness = open(null)) {
            harness.processElement(event("e1", "acme"), 1);
            harness.processElement(event("e2", null), 2);

            assertThat(attached(harness, 0)).isEqualTo(AttachedPolicies.attach(DEFAULTS, "acme", PolicyOrigin.JOB_DEFAULT));
            assertThat(attached(harness, 1)).isEqualTo(AttachedPolicies.attach(DEFAULTS, null, PolicyOrigin.JOB_DEFAULT));
        }
    }

    @Test
    void aTenantsUpdateChangesItsNextEventsAndNoOtherTenants() throws Exception {
        PolicySet strict = PolicyFixtures.strict("acme");
        try (var harness = open(null)) {
            harness.processElement(event("before", "acme"), 1);
            harness.processBroadcastElement(update("acme", strict), 2);
            harness.processElement(event("after", "acme"), 3);
            harness.processElement(event("other", "globex"), 4);

            assertThat(attached(harness, 0).getOrigin()).isEqualTo(PolicyOrigin.JOB_DEFAULT);
            assertThat(attached(harness, 1)).isEqualTo(AttachedPolicies.attach(strict, "acme", PolicyOrigin.TENANT));
            assertThat(attached(harness, 2)).isEqualTo(AttachedPolicies.attach(DEFAULTS, "globex", PolicyOrigin.JOB_DEFAULT));
        }
    }

    @Test
    void theStarSetReplacesTheDefaultAndATombstoneFallsBack() throws Exception {
        PolicySet strict = PolicyFixtures.strict("acme");
        PolicySet all = new PolicySet("all-3", List.of(DEFAULTS.policies().get(0)));
        try (var harness = open(null)) {
            harness.processBroadcastElement(update("acme", strict), 1);
            harness.processBroadcastElement(update(PolicyTopic.ALL_TENANTS, all), 2);
            harness.processElement(event("a1", "acme"), 3);
            harness.processElement(event("g1", "globex"), 4);
            harness.processElement(event("n1", null), 5);
            harness.processBroadcastElement(new PolicyUpdate("acme", null, "t-0@9"), 6);
            harness.processElement(event("a2", "acme"), 7);
            harness.processBroadcastElement(new PolicyUpdate(PolicyTopic.ALL_TENANTS, null, "t-0@10"), 8);
            harness.processElement(event("a3", "acme"), 9);

            assertThat(attached(harness, 0).getOrigin()).isEqualTo(PolicyOrigin.TENANT);
            assertThat(attached(harness, 1)).isEqualTo(AttachedPolicies.attach(all, "globex", PolicyOrigin.ALL_TENANTS));
            assertThat(attached(harness, 2)).isEqualTo(AttachedPolicies.attach(all, null, PolicyOrigin.ALL_TENANTS));
            assertThat(attached(harness, 3)).isEqualTo(AttachedPolicies.attach(all, "acme", PolicyOrigin.ALL_TENANTS));
            assertThat(attached(harness, 4)).isEqualTo(AttachedPolicies.attach(DEFAULTS, "acme", PolicyOrigin.JOB_DEFAULT));
        }
    }

    @Test
    void whatAProducerAttachedIsAlwaysOverwritten() throws Exception {
        ImageEvent forged = event("forged", "acme");
        forged.setAttachedPolicies(AttachedPolicies.attach(PolicySet.empty(), "acme", PolicyOrigin.TENANT));
        try (var harness = open(null)) {
            harness.processElement(forged, 1);

            assertThat(attached(harness, 0)).isEqualTo(AttachedPolicies.attach(DEFAULTS, "acme", PolicyOrigin.JOB_DEFAULT));
        }
    }

    @Test
    void theSetsSurviveASnapshotAndRestoreWithoutTheUpdatesBeingResent() throws Exception {
        PolicySet strict = PolicyFixtures.strict("acme");
        PolicySet all = new PolicySet("all-3", List.of(DEFAULTS.policies().get(1)));
        OperatorSubtaskState snapshot;
        try (var first = open(null)) {
            first.processBroadcastElement(update("acme", strict), 1);
            first.processBroadcastElement(update(PolicyTopic.ALL_TENANTS, all), 2);
            snapshot = first.snapshot(1L, 3L);
            // After the checkpoint: lost with the failed task, so the restore must not see it.
            first.processBroadcastElement(new PolicyUpdate("acme", null, "t-0@3"), 4);
        }
        try (var restored = open(snapshot)) {
            restored.processElement(event("a", "acme"), 5);
            restored.processElement(event("g", "globex"), 6);

            assertThat(attached(restored, 0)).isEqualTo(AttachedPolicies.attach(strict, "acme", PolicyOrigin.TENANT));
            assertThat(attached(restored, 1)).isEqualTo(AttachedPolicies.attach(all, "globex", PolicyOrigin.ALL_TENANTS));
            assertThat(restored.getBroadcastState(PolicyAttachFunction.POLICY_SETS).get("acme"))
                    .isEqualTo(PolicyFiles.toJson(strict));
        }
    }

    private static BroadcastOperatorTestHarness<ImageEvent, PolicyUpdate, ImageEvent> open(
            OperatorSubtaskState restore) throws Exception {
        var harness = new BroadcastOperatorTestHarness<>(
                new CoBroadcastWithNonKeyedOperator<>(new PolicyAttachFunction(DEFAULTS),
                        List.of(PolicyAttachFunction.POLICY_SETS)),
                1, 1, 0);
        harness.setup();
        if (restore != null) {
            harness.initializeState(restore);
        }
        harness.open();
        return harness;
    }

    private static PolicyUpdate update(String tenant, PolicySet set) {
        return new PolicyUpdate(tenant, PolicyFiles.toJson(set), "t-0@1");
    }

    private static ImageEvent event(String id, String tenant) {
        ImageEvent event = ImageEvents.moderateFull(id);
        event.setTenant(tenant);
        return event;
    }

    private static AttachedPolicySet attached(
            BroadcastOperatorTestHarness<ImageEvent, PolicyUpdate, ImageEvent> harness, int index) {
        return harness.extractOutputValues().get(index).getAttachedPolicies();
    }
}
