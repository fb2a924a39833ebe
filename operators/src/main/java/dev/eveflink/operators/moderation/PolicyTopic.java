package dev.eveflink.operators.moderation;

import java.util.Map;

/**
 * The contract of the policy topic. Key: the tenant id (UTF-8), or {@link #ALL_TENANTS}. Value: a
 * policies file's text (YAML or JSON, as {@code PolicyFiles.parse} reads it); a tombstone (null
 * value) removes the tenant's set. The topic is compacted, so reading it from the beginning yields
 * the latest set of every tenant.
 */
public final class PolicyTopic {
    private PolicyTopic() {}

    /** The key of the set used by tenants without their own (it overrides the job's policies file). */
    public static final String ALL_TENANTS = "*";

    /** Topic configuration: compacted, so the latest record per tenant is kept forever. */
    public static final Map<String, String> CONFIG = Map.of("cleanup.policy", "compact");
}
