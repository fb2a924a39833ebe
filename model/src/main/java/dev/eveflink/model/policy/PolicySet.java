package dev.eveflink.model.policy;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The moderation policies in force: what one policies file (or one policy-topic record) holds.
 *
 * @param version the set's version as written in the file ("1" when it names none)
 * @param policies the policies in file order; ids are unique
 */
public record PolicySet(String version, List<ModerationPolicy> policies) implements Serializable {

    private static final long serialVersionUID = 1L;

    public PolicySet {
        if (version == null || version.isBlank()) {
            throw new IllegalArgumentException("policy set version must not be blank");
        }
        policies = List.copyOf(Objects.requireNonNull(policies, "policies"));
        Set<String> ids = new HashSet<>();
        for (ModerationPolicy p : policies) {
            if (!ids.add(p.id())) {
                throw new IllegalArgumentException("policy id '" + p.id() + "' appears twice");
            }
        }
    }

    /** No policies: MODERATE events are refused rather than answered with nothing checked. */
    public static PolicySet empty() {
        return new PolicySet("1", List.of());
    }

    public boolean isEmpty() {
        return policies.isEmpty();
    }

    public Optional<ModerationPolicy> policy(String id) {
        return policies.stream().filter(p -> p.id().equals(id)).findFirst();
    }

    /** The policies that apply to {@code tenant} (null: events without a tenant), in file order. */
    public List<ModerationPolicy> forTenant(String tenant) {
        return policies.stream().filter(p -> p.appliesTo(tenant)).toList();
    }

    /**
     * The policies an event of {@code tenant} is checked against: those it names ({@code ids}, in
     * that order, repeats dropped), or, when it names none ({@code ids} null), every policy that
     * applies to the tenant.
     *
     * @throws PolicySelectionException naming what is missing: the set is empty, a named id is not
     *     in the set or does not apply to the tenant, the list is empty, or no policy applies
     */
    public List<ModerationPolicy> select(List<String> ids, String tenant) {
        String tenantText = tenant == null ? "no tenant" : "tenant '" + tenant + "'";
        if (policies.isEmpty()) {
            throw new PolicySelectionException("no moderation policy is configured");
        }
        if (ids == null) {
            List<ModerationPolicy> chosen = forTenant(tenant);
            if (chosen.isEmpty()) {
                throw new PolicySelectionException(
                        "no policy of policy set " + version + " " + ids() + " applies to " + tenantText);
            }
            return chosen;
        }
        if (ids.isEmpty()) {
            throw new PolicySelectionException("its policy list is empty");
        }
        List<ModerationPolicy> chosen = new ArrayList<>();
        for (String id : new LinkedHashSet<>(ids)) {
            ModerationPolicy policy = policy(id).orElseThrow(() -> new PolicySelectionException(
                    "policy '" + id + "' is not in policy set " + version + " (it has " + ids() + ")"));
            if (!policy.appliesTo(tenant)) {
                throw new PolicySelectionException("policy '" + id + "' does not apply to " + tenantText
                        + " (it applies to tenants " + policy.tenants().stream().sorted().toList() + ")");
            }
            chosen.add(policy);
        }
        return chosen;
    }

    public List<String> ids() {
        return policies.stream().map(ModerationPolicy::id).toList();
    }
}
