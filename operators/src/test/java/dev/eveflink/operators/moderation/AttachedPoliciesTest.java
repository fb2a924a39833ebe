package dev.eveflink.operators.moderation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eveflink.model.policy.PolicySet;
import dev.eveflink.operators.avro.AttachedPolicySet;
import dev.eveflink.operators.avro.PolicyOrigin;
import org.junit.jupiter.api.Test;

class AttachedPoliciesTest {

    @Test
    void aSetForItsTenantSurvivesTheRoundTripThroughAvro() {
        PolicySet set = PolicyFixtures.strict("acme");
        AttachedPolicySet attached = AttachedPolicies.attach(set, "acme", PolicyOrigin.TENANT);

        assertThat(attached.getTenant()).isEqualTo("acme");
        assertThat(attached.getOrigin()).isEqualTo(PolicyOrigin.TENANT);
        assertThat(attached.getVersion()).isEqualTo("strict-2");
        assertThat(AttachedPolicies.toPolicySet(attached)).isEqualTo(set);
    }

    @Test
    void onlyThePoliciesThatApplyToTheTenantAreAttached() {
        PolicySet set = PolicyFixtures.strict("acme");
        AttachedPolicySet other = AttachedPolicies.attach(set, "globex", PolicyOrigin.ALL_TENANTS);
        AttachedPolicySet none = AttachedPolicies.attach(set, null, PolicyOrigin.ALL_TENANTS);

        assertThat(AttachedPolicies.toPolicySet(other)).isEqualTo(new PolicySet("strict-2", set.forTenant("globex")));
        assertThat(other.getPolicies()).extracting(p -> p.getId()).containsExactly("violence");
        assertThat(none.getTenant()).isNull();
        assertThat(none.getPolicies()).extracting(p -> p.getId()).containsExactly("violence");
    }

    @Test
    void anActionThisBuildDoesNotKnowIsNamed() {
        AttachedPolicySet attached = AttachedPolicies.attach(PolicyFixtures.defaults(), "acme", PolicyOrigin.JOB_DEFAULT);
        attached.getPolicies().get(1).setAction("shred");

        assertThatThrownBy(() -> AttachedPolicies.toPolicySet(attached))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("nudity")
                .hasMessageContaining("shred");
    }
}
