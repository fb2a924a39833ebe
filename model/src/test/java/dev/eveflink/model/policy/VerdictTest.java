package dev.eveflink.model.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class VerdictTest {
    private static final ModerationPolicy WEAPON = new ModerationPolicy("weapon", "4",
            List.of("a gun?", "a knife?"), 0.4, 0.6, PolicyAction.QUARANTINE, Set.of());
    private static final ModerationPolicy RED = ModerationPolicy.of("red", "red?", 0.5, 0.5);

    @Test
    void eachPolicyTakesTheLargestOfItsOwnQuestions() {
        List<Verdict> verdicts = Verdict.of(List.of(WEAPON, RED), new double[] {0.1, 0.45, 0.9});

        assertThat(verdicts).containsExactly(
                new Verdict(WEAPON, 0.45, Decision.REVIEW), new Verdict(RED, 0.9, Decision.FLAG));
        assertThat(Verdict.overall(verdicts)).isEqualTo(Decision.FLAG);
        assertThat(Verdict.overall(List.of())).isEqualTo(Decision.ALLOW);
        assertThat(Verdict.questions(List.of(WEAPON, RED))).containsExactly("a gun?", "a knife?", "red?");
        assertThatThrownBy(() -> Verdict.of(List.of(WEAPON, RED), new double[] {0.1, 0.2}))
                .hasMessageContaining("2 scores for 3 questions");
    }
}
