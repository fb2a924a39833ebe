package dev.eveflink.model.policy;

/** What moderation decides about one image under one policy, in increasing severity. */
public enum Decision {
    /** The score is below the review threshold. */
    ALLOW,
    /** The score is in [review, flag): a person should look. */
    REVIEW,
    /** The score is at or above the flag threshold. */
    FLAG;

    /** The more severe of the two (the overall decision of several policies is the most severe one). */
    public Decision max(Decision other) {
        return other.ordinal() > ordinal() ? other : this;
    }
}
