package dev.eveflink.operators.moderation;

import dev.eveflink.model.policy.ModerationPolicy;
import dev.eveflink.model.policy.PolicyAction;
import dev.eveflink.model.policy.PolicySet;
import dev.eveflink.operators.avro.AttachedPolicy;
import dev.eveflink.operators.avro.AttachedPolicySet;
import dev.eveflink.operators.avro.PolicyOrigin;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import org.apache.flink.util.Preconditions;

/**
 * Converts between the model's {@link PolicySet} and the Avro {@link AttachedPolicySet} that travels
 * inside an {@code ImageEvent}.
 */
public final class AttachedPolicies {
    private AttachedPolicies() {}

    /**
     * The policies of {@code set} that apply to {@code tenant}, as attached to that tenant's events.
     *
     * @param tenant the event's tenant; null for events without one
     * @param origin where the set came from (the tenant's record, the {@code *} record, the job's default)
     */
    public static AttachedPolicySet attach(PolicySet set, String tenant, PolicyOrigin origin) {
        Preconditions.checkNotNull(set, "set");
        Preconditions.checkNotNull(origin, "origin");
        List<AttachedPolicy> policies = new ArrayList<>();
        for (ModerationPolicy p : set.forTenant(tenant)) {
            policies.add(AttachedPolicy.newBuilder()
                    .setId(p.id())
                    .setVersion(p.version())
                    .setQuestions(new ArrayList<>(p.questions()))
                    .setReviewThreshold(p.reviewThreshold())
                    .setFlagThreshold(p.flagThreshold())
                    .setAction(p.action().name())
                    .setTenants(p.tenants().stream().sorted().toList())
                    .build());
        }
        return AttachedPolicySet.newBuilder()
                .setTenant(tenant)
                .setOrigin(origin)
                .setVersion(set.version())
                .setPolicies(policies)
                .build();
    }

    /**
     * The attached set as a {@link PolicySet} (its policies already narrowed to the event's tenant).
     *
     * @throws IllegalArgumentException naming the policy when a field is invalid (e.g. an action this
     *     build does not know)
     */
    public static PolicySet toPolicySet(AttachedPolicySet attached) {
        Preconditions.checkNotNull(attached, "attached");
        List<ModerationPolicy> policies = new ArrayList<>();
        for (AttachedPolicy p : attached.getPolicies()) {
            PolicyAction action;
            try {
                action = PolicyAction.parse(p.getAction());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("attached policy '" + p.getId() + "': " + e.getMessage(), e);
            }
            policies.add(new ModerationPolicy(p.getId(), p.getVersion(), p.getQuestions(), p.getReviewThreshold(),
                    p.getFlagThreshold(), action, new LinkedHashSet<>(p.getTenants())));
        }
        return new PolicySet(attached.getVersion(), policies);
    }
}
