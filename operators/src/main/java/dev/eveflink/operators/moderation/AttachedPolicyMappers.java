package dev.eveflink.operators.moderation;

import dev.eveflink.model.policy.ModerationPolicy;
import dev.eveflink.model.policy.PolicySet;
import dev.eveflink.operators.avro.AttachedPolicySet;
import dev.eveflink.operators.errors.ErrorCode;
import dev.eveflink.operators.errors.Outcome;
import dev.eveflink.operators.inference.EventMapper;
import dev.eveflink.operators.inference.InferenceOptions;
import dev.eveflink.operators.inference.ModerationQuestion;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.util.Preconditions;

/**
 * Interim bridge while {@link EventMapper} still reads its policies from {@link
 * InferenceOptions#moderationPolicies()}: one mapper per attached policy set, built from the
 * operator's options with that set's policies. Once EventMapper takes a {@link PolicySet} per
 * event, {@code EveAsyncFunction} passes {@link AttachedPolicies#toPolicySet} to it instead and
 * this class goes.
 *
 * <p>A policy with several questions cannot be expressed as one {@link ModerationQuestion}: such a
 * set yields {@link ErrorCode#MODERATION_UNAVAILABLE} rather than a verdict on part of the policy.
 * Not thread-safe: one per subtask.
 */
public final class AttachedPolicyMappers {
    /** Distinct sets a subtask sees at once are few (one per tenant with its own set). */
    private static final int MAX_MAPPERS = 256;

    private final InferenceOptions options;
    private final Map<AttachedPolicySet, Outcome<EventMapper>> mappers =
            new LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<AttachedPolicySet, Outcome<EventMapper>> eldest) {
                    return size() > MAX_MAPPERS;
                }
            };

    public AttachedPolicyMappers(InferenceOptions options) {
        this.options = Preconditions.checkNotNull(options, "options");
    }

    /** The mapper that scores MODERATE events against {@code attached}, or why there is none. */
    public Outcome<EventMapper> forSet(AttachedPolicySet attached) {
        return mappers.computeIfAbsent(attached, this::build);
    }

    private Outcome<EventMapper> build(AttachedPolicySet attached) {
        PolicySet set;
        try {
            set = AttachedPolicies.toPolicySet(attached);
        } catch (IllegalArgumentException e) {
            return Outcome.failed(ErrorCode.MODERATION_UNAVAILABLE, "the attached policy set "
                    + attached.getVersion() + " is not usable: " + e.getMessage());
        }
        List<ModerationQuestion> questions = new ArrayList<>();
        for (ModerationPolicy p : set.policies()) {
            if (p.questions().size() != 1) {
                return Outcome.failed(ErrorCode.MODERATION_UNAVAILABLE, "policy '" + p.id() + "' of set "
                        + set.version() + " has " + p.questions().size()
                        + " questions; this operator scores one question per policy");
            }
            questions.add(new ModerationQuestion(p.id(), p.questions().get(0), p.reviewThreshold(),
                    p.flagThreshold()));
        }
        return Outcome.ok(new EventMapper(options.toBuilder().setModerationPolicies(questions).build()));
    }
}
