package dev.eveflink.operators.moderation;

import java.util.Objects;

/**
 * A checked change of one tenant's policy set, as broadcast to every {@link PolicyAttachFunction}.
 *
 * @param tenant the tenant id, or {@link PolicyTopic#ALL_TENANTS} for the default of tenants
 *     without their own set
 * @param policiesJson the new set in the canonical JSON of {@code PolicyFiles.toJson} (already
 *     parsed and validated once); null removes the tenant's set
 * @param source where the record was read ({@code topic-partition@offset}), for logs
 */
public record PolicyUpdate(String tenant, String policiesJson, String source) {

    public PolicyUpdate {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(source, "source");
    }

    /** True for a tombstone: the tenant falls back to the {@code *} set or the job's default. */
    public boolean isRemoval() {
        return policiesJson == null;
    }
}
