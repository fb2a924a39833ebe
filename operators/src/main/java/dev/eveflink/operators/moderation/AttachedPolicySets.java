package dev.eveflink.operators.moderation;

import dev.eveflink.model.policy.PolicySet;
import dev.eveflink.operators.avro.AttachedPolicySet;
import dev.eveflink.operators.errors.ErrorCode;
import dev.eveflink.operators.errors.Outcome;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@link PolicySet}s of the Avro sets the attach operator puts on events, converted once per
 * distinct set (events of one tenant carry equal sets until the next reload). A set that does not
 * convert (e.g. an action this build does not know) gives {@link ErrorCode#MODERATION_UNAVAILABLE}
 * rather than a verdict under some other policy. Not thread-safe: one per subtask.
 */
public final class AttachedPolicySets {
    /** Distinct sets a subtask sees at once are few (one per tenant with its own set). */
    private static final int MAX_SETS = 256;

    private final Map<AttachedPolicySet, Outcome<PolicySet>> sets =
            new LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<AttachedPolicySet, Outcome<PolicySet>> eldest) {
                    return size() > MAX_SETS;
                }
            };

    /** The policy set of {@code attached}, or why it cannot be used. */
    public Outcome<PolicySet> forSet(AttachedPolicySet attached) {
        return sets.computeIfAbsent(attached, AttachedPolicySets::convert);
    }

    private static Outcome<PolicySet> convert(AttachedPolicySet attached) {
        try {
            return Outcome.ok(AttachedPolicies.toPolicySet(attached));
        } catch (IllegalArgumentException e) {
            return Outcome.failed(ErrorCode.MODERATION_UNAVAILABLE, "the attached policy set "
                    + attached.getVersion() + " is not usable: " + e.getMessage());
        }
    }
}
