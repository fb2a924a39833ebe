package dev.eveflink.operators.moderation;

import dev.eveflink.model.policy.ModerationPolicy;
import dev.eveflink.model.policy.PolicyFiles;
import dev.eveflink.model.policy.PolicySet;
import dev.eveflink.operators.errors.ErrorCode;
import dev.eveflink.operators.errors.Outcome;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Turns a policy-topic record into a {@link PolicyUpdate}, or into the {@link
 * ErrorCode#POLICY_INVALID} error that names what is wrong (with the parser's message, which names
 * the topic, partition, offset and line).
 *
 * <p>A record is valid when its key is a non-blank UTF-8 tenant id (or {@code *}) and its value is
 * null (tombstone) or a policies file that {@link PolicyFiles#parse} accepts and whose
 * tenant-scoped policies include the record's tenant (a set for tenant A with a policy scoped to
 * tenant B only is a mistake, never something that could apply).
 */
public final class PolicyRecordCheck {
    private PolicyRecordCheck() {}

    /** The update {@code record} asks for, or why it is refused. */
    public static Outcome<PolicyUpdate> check(PolicyRecord record) {
        String source = record.source();
        if (record.key() == null) {
            return invalid(source + ": the record has no key; the key must be a tenant id or '"
                    + PolicyTopic.ALL_TENANTS + "'");
        }
        String tenant;
        try {
            tenant = utf8(record.key());
        } catch (CharacterCodingException e) {
            return invalid(source + ": the key is not UTF-8");
        }
        if (tenant.isBlank()) {
            return invalid(source + ": the key is blank; it must be a tenant id or '" + PolicyTopic.ALL_TENANTS + "'");
        }
        if (record.value() == null) {
            return Outcome.ok(new PolicyUpdate(tenant, null, source));
        }
        PolicySet set;
        try {
            set = PolicyFiles.parse(utf8(record.value()), source);
        } catch (CharacterCodingException e) {
            return invalid(source + ": the value is not UTF-8 text");
        } catch (IllegalArgumentException e) {
            // PolicyFileException names the source and line; a model check names the policy.
            return invalid(e.getMessage());
        }
        if (!tenant.equals(PolicyTopic.ALL_TENANTS)) {
            for (ModerationPolicy p : set.policies()) {
                if (!p.appliesTo(tenant)) {
                    return invalid(source + ": policy '" + p.id() + "' is scoped to tenants "
                            + p.tenants().stream().sorted().toList() + " but this is the set of tenant '"
                            + tenant + "'");
                }
            }
        }
        return Outcome.ok(new PolicyUpdate(tenant, PolicyFiles.toJson(set), source));
    }

    private static Outcome<PolicyUpdate> invalid(String message) {
        return Outcome.failed(ErrorCode.POLICY_INVALID, message);
    }

    private static String utf8(byte[] bytes) throws CharacterCodingException {
        return StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes))
                .toString();
    }
}
