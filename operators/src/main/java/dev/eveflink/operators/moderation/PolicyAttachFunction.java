package dev.eveflink.operators.moderation;

import dev.eveflink.model.policy.PolicyFiles;
import dev.eveflink.model.policy.PolicySet;
import dev.eveflink.operators.avro.AttachedPolicySet;
import dev.eveflink.operators.avro.ImageEvent;
import dev.eveflink.operators.avro.PolicyOrigin;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.BroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.Preconditions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Attaches to every event the moderation policy set in force for its tenant, so that a reload
 * through the policy topic changes decisions from the next event on, without a restart.
 *
 * <p>Resolution: the tenant's own set, else the {@link PolicyTopic#ALL_TENANTS} set, else the job's
 * default (its policies file). The event's {@code attachedPolicies} is ALWAYS overwritten: a
 * producer cannot choose its own policies.
 *
 * <p>State: the broadcast state {@link #POLICY_SETS}, tenant id -> the set's canonical JSON
 * ({@link PolicyFiles#toJson}, validated once by {@link PolicyUpdateValidator}). Strings on both
 * sides keep the checkpointed form independent of the model classes, so a savepoint survives
 * changes to them; a restored subtask re-parses lazily. Give the operator a fixed uid.
 *
 * <p>Metrics: {@code policyUpdatesApplied}, {@code policyTenants} (entries in the state, tenants and {@code *}, as
 * this subtask last saw them change; unknown after a restore until the next update: reported -1).
 */
public final class PolicyAttachFunction extends BroadcastProcessFunction<ImageEvent, PolicyUpdate, ImageEvent> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(PolicyAttachFunction.class);
    /** Parsed sets kept per tenant; beyond this the cache starts over (re-parsing is cheap). */
    private static final int MAX_CACHED_TENANTS = 10_000;

    /** Broadcast state: tenant id (or {@code *}) -> the set's canonical JSON. */
    public static final MapStateDescriptor<String, String> POLICY_SETS =
            new MapStateDescriptor<>("eve-policy-sets", Types.STRING, Types.STRING);

    /** The job's default set as JSON (the model's records are not serializable). */
    private final String defaultPoliciesJson;

    private transient PolicySet defaultPolicies;
    /** Event tenant (null key: events without one) -> what is attached; cleared by every update. */
    private transient Map<String, AttachedPolicySet> attached;
    private transient Counter applied;
    private transient volatile int tenants;

    /** @param defaultPolicies used for tenants with no set of their own and no {@code *} set */
    public PolicyAttachFunction(PolicySet defaultPolicies) {
        this.defaultPoliciesJson = PolicyFiles.toJson(Preconditions.checkNotNull(defaultPolicies, "defaultPolicies"));
    }

    @Override
    public void open(OpenContext openContext) {
        defaultPolicies = PolicyFiles.parse(defaultPoliciesJson, "the job's default policies");
        attached = new HashMap<>();
        tenants = -1;
        applied = getRuntimeContext().getMetricGroup().counter("policyUpdatesApplied");
        getRuntimeContext().getMetricGroup().gauge("policyTenants", () -> tenants);
    }

    @Override
    public void processElement(ImageEvent event, ReadOnlyContext ctx, Collector<ImageEvent> out) throws Exception {
        String tenant = event.getTenant();
        AttachedPolicySet set = attached.get(tenant);
        if (set == null) {
            set = resolve(tenant, ctx.getBroadcastState(POLICY_SETS));
            if (attached.size() >= MAX_CACHED_TENANTS) {
                attached.clear();
            }
            attached.put(tenant, set);
        }
        event.setAttachedPolicies(set);
        out.collect(event);
    }

    private AttachedPolicySet resolve(String tenant, ReadOnlyBroadcastState<String, String> state) throws Exception {
        String json = tenant == null ? null : state.get(tenant);
        if (json != null) {
            return AttachedPolicies.attach(parse(json, tenant), tenant, PolicyOrigin.TENANT);
        }
        json = state.get(PolicyTopic.ALL_TENANTS);
        if (json != null) {
            return AttachedPolicies.attach(parse(json, PolicyTopic.ALL_TENANTS), tenant, PolicyOrigin.ALL_TENANTS);
        }
        return AttachedPolicies.attach(defaultPolicies, tenant, PolicyOrigin.JOB_DEFAULT);
    }

    private static PolicySet parse(String json, String key) {
        return PolicyFiles.parse(json, "policy state of '" + key + "'");
    }

    @Override
    public void processBroadcastElement(PolicyUpdate update, Context ctx, Collector<ImageEvent> out) throws Exception {
        BroadcastState<String, String> state = ctx.getBroadcastState(POLICY_SETS);
        int subtask = getRuntimeContext().getTaskInfo().getIndexOfThisSubtask();
        if (update.isRemoval()) {
            state.remove(update.tenant());
            LOG.info("subtask {}: policy set of tenant '{}' removed ({}); it falls back to {}", subtask,
                    update.tenant(), update.source(),
                    update.tenant().equals(PolicyTopic.ALL_TENANTS) ? "the job's default" : "the '*' set or the job's default");
        } else {
            PolicySet set = parse(update.policiesJson(), update.tenant());
            state.put(update.tenant(), update.policiesJson());
            LOG.info("subtask {}: tenant '{}' now uses policy set version {} with policies {} ({})", subtask,
                    update.tenant(), set.version(), set.ids(), update.source());
        }
        attached.clear();
        int count = 0;
        for (Map.Entry<String, String> ignored : state.entries()) {
            count++;
        }
        tenants = count;
        applied.inc();
    }
}
