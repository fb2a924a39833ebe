package dev.eveflink.model.demo.world;

import dev.eveflink.model.policy.ModerationPolicy;
import dev.eveflink.model.policy.PolicySet;
import java.util.Arrays;

/**
 * The two moderation policies of the demo: yes/no questions whose truth the world knows.
 * A policy flags an image when the model's p(yes) >= 0.5.
 */
public enum DemoPolicy {
    /** Flags an image with a cross. */
    PROHIBITED_SYMBOL("prohibited-symbol", "is there a cross?"),
    /** Flags an image with any red shape. */
    RED_ALERT("red-alert", "is there anything red?");

    private final String policyName;
    private final String question;

    DemoPolicy(String policyName, String question) {
        this.policyName = policyName;
        this.question = question;
    }

    /** Both demo policies as a policy set: flag at score >= 0.5, no review band (the default of the CLI and demo). */
    public static PolicySet policySet() {
        return new PolicySet("demo-1", Arrays.stream(values()).map(DemoPolicy::policy).toList());
    }

    /** This policy in the form a policies file gives it. */
    public ModerationPolicy policy() {
        return ModerationPolicy.of(policyName, question, 0.5, 0.5);
    }

    /** The policy's name in configs and results, e.g. {@code red-alert}. */
    public String policyName() {
        return policyName;
    }

    /** The yes/no question the model is asked. */
    public String question() {
        return question;
    }

    /** Whether the scene should be flagged (the right answer is {@code yes}). */
    public boolean truth(Scene scene) {
        return switch (this) {
            case PROHIBITED_SYMBOL -> scene.shapes().stream().anyMatch(s -> s.kind() == ShapeKind.CROSS);
            case RED_ALERT -> scene.shapes().stream().anyMatch(s -> s.color() == ShapeColor.RED);
        };
    }
}
