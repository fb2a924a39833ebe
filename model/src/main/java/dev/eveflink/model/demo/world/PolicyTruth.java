package dev.eveflink.model.demo.world;

import java.util.Objects;

/**
 * The right decision of one demo policy for one scene.
 *
 * @param policy which policy
 * @param flagged whether the image should be flagged (the policy question's answer is yes)
 */
public record PolicyTruth(DemoPolicy policy, boolean flagged) {
    public PolicyTruth {
        Objects.requireNonNull(policy, "policy");
    }
}
