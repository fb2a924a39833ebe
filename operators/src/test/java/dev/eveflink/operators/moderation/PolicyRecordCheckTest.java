package dev.eveflink.operators.moderation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eveflink.model.policy.PolicyFiles;
import dev.eveflink.model.policy.PolicySet;
import dev.eveflink.operators.errors.ErrorCode;
import dev.eveflink.operators.errors.Outcome;
import org.junit.jupiter.api.Test;

class PolicyRecordCheckTest {

    private static final String YAML = """
            version: y-7
            policies:
              - id: violence
                question: Violent?
                flag: 0.8
            """;

    @Test
    void aYamlSetBecomesItsCanonicalJson() {
        Outcome<PolicyUpdate> checked = PolicyRecordCheck.check(PolicyFixtures.record("acme", YAML, 4));

        assertThat(checked.isOk()).as("%s", checked.error()).isTrue();
        PolicyUpdate update = checked.value();
        assertThat(update.tenant()).isEqualTo("acme");
        assertThat(update.source()).isEqualTo("eve.policies-0@4");
        PolicySet parsed = PolicyFiles.parse(YAML, "expected");
        assertThat(update.policiesJson()).isEqualTo(PolicyFiles.toJson(parsed));
        assertThat(update.isRemoval()).isFalse();
    }

    @Test
    void aJsonSetForAllTenantsIsAccepted() {
        PolicySet set = PolicyFixtures.strict("acme");
        // A set for '*' may hold policies scoped to single tenants: they apply to those tenants only.
        Outcome<PolicyUpdate> checked =
                PolicyRecordCheck.check(PolicyFixtures.record("*", PolicyFiles.toJson(set), 1));

        assertThat(checked.value().tenant()).isEqualTo(PolicyTopic.ALL_TENANTS);
        assertThat(PolicyFiles.parse(checked.value().policiesJson(), "state")).isEqualTo(set);
    }

    @Test
    void aTombstoneRemovesTheTenantsSet() {
        Outcome<PolicyUpdate> checked = PolicyRecordCheck.check(PolicyFixtures.record("acme", null, 2));

        assertThat(checked.value().isRemoval()).isTrue();
        assertThat(checked.value().tenant()).isEqualTo("acme");
    }

    @Test
    void anUnparseableSetIsRefusedWithTheParsersMessage() {
        String bad = YAML.replace("flag: 0.8", "flag: high");
        Outcome<PolicyUpdate> checked = PolicyRecordCheck.check(PolicyFixtures.record("acme", bad, 9));

        assertThat(checked.isOk()).isFalse();
        assertThat(checked.error().code()).isEqualTo(ErrorCode.POLICY_INVALID);
        // PolicyFiles names the source and the line of the offending value.
        assertThat(checked.error().message()).startsWith("eve.policies-0@9:5: ").contains("'flag'", "high");
    }

    @Test
    void keysAndValuesThatCannotBeUsedAreRefused() {
        assertThat(PolicyRecordCheck.check(PolicyFixtures.record(null, YAML, 1)).error().message())
                .contains("no key");
        assertThat(PolicyRecordCheck.check(PolicyFixtures.record("  ", YAML, 1)).error().message())
                .contains("blank");
        assertThat(PolicyRecordCheck.check(PolicyFixtures.record("acme", "", 1)).error().message())
                .contains("empty");
        PolicyRecord notUtf8 = new PolicyRecord("acme".getBytes(), new byte[] {(byte) 0xC3, 0x28}, "t", 0, 1, 1);
        assertThat(PolicyRecordCheck.check(notUtf8).error().message()).contains("not UTF-8");
    }

    @Test
    void aTenantsSetMustNotHoldPoliciesScopedToOtherTenants() {
        String json = PolicyFiles.toJson(PolicyFixtures.strict("globex"));
        Outcome<PolicyUpdate> checked = PolicyRecordCheck.check(PolicyFixtures.record("acme", json, 3));

        assertThat(checked.error().code()).isEqualTo(ErrorCode.POLICY_INVALID);
        assertThat(checked.error().message()).contains("'weapons'", "[globex]", "'acme'");
    }
}
