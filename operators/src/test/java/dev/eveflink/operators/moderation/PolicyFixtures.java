package dev.eveflink.operators.moderation;

import dev.eveflink.model.policy.ModerationPolicy;
import dev.eveflink.model.policy.PolicyAction;
import dev.eveflink.model.policy.PolicySet;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

/** Policy sets and policy-topic records shared by the moderation tests. */
final class PolicyFixtures {
    private PolicyFixtures() {}

    static final String TOPIC = "eve.policies";

    /** The job's default: two one-question policies for every tenant. */
    static PolicySet defaults() {
        return new PolicySet("default-1", List.of(
                ModerationPolicy.of("violence", "Violent?", 0.5, 0.9),
                ModerationPolicy.of("nudity", "Nude?", 0.3, 0.6)));
    }

    /** A stricter set as a tenant would publish it, with a policy scoped to that tenant. */
    static PolicySet strict(String tenant) {
        return new PolicySet("strict-2", List.of(
                new ModerationPolicy("violence", "2", List.of("Violent?"), 0.1, 0.2, PolicyAction.QUARANTINE,
                        Set.of()),
                new ModerationPolicy("weapons", "1", List.of("A weapon?"), 0.4, 0.4, PolicyAction.LABEL,
                        Set.of(tenant))));
    }

    static PolicyRecord record(String key, String value, long offset) {
        return new PolicyRecord(key == null ? null : key.getBytes(StandardCharsets.UTF_8),
                value == null ? null : value.getBytes(StandardCharsets.UTF_8), TOPIC, 0, offset, 1_000 + offset);
    }
}
