package dev.eveflink.model.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PolicySelectionTest {
    private static final ModerationPolicy ALL = ModerationPolicy.of("all", "bad?", 0.5, 0.5);
    private static final ModerationPolicy ACME = new ModerationPolicy("acme-only", "1", List.of("acme bad?"), 0.5,
            0.5, PolicyAction.LABEL, Set.of("acme"));
    private static final PolicySet SET = new PolicySet("v9", List.of(ALL, ACME));

    @Test
    void namingNoneTakesEveryPolicyOfTheTenant() {
        assertThat(SET.select(null, "acme")).containsExactly(ALL, ACME);
        assertThat(SET.select(null, "globex")).containsExactly(ALL);
        assertThat(SET.select(null, null)).containsExactly(ALL);
        assertThatThrownBy(() -> new PolicySet("v2", List.of(ACME)).select(null, "globex"))
                .isInstanceOf(PolicySelectionException.class)
                .hasMessageContaining("v2").hasMessageContaining("tenant 'globex'");
    }

    @Test
    void namedPoliciesComeInTheirOrderAndMustExistAndApply() {
        assertThat(SET.select(Arrays.asList("acme-only", "all", "acme-only"), "acme")).containsExactly(ACME, ALL);
        assertThatThrownBy(() -> SET.select(List.of("all", "nope"), "acme"))
                .isInstanceOf(PolicySelectionException.class)
                .hasMessageContaining("'nope'").hasMessageContaining("[all, acme-only]");
        assertThatThrownBy(() -> SET.select(List.of("acme-only"), null))
                .hasMessageContaining("does not apply to no tenant").hasMessageContaining("[acme]");
        assertThatThrownBy(() -> SET.select(List.of(), "acme")).hasMessageContaining("empty");
        assertThatThrownBy(() -> PolicySet.empty().select(null, "acme")).hasMessageContaining("no moderation policy");
    }
}
