package dev.eveflink.model.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class EngineOptionsTest {

    @Test
    void defaultsAreTheDocumentedOnes() {
        EngineOptions o = EngineOptions.defaults();
        assertThat(o.maxBatchSize()).isEqualTo(8);
        assertThat(o.maxWait()).isEqualTo(Duration.ofMillis(5));
        assertThat(o.queueCapacity()).isEqualTo(1024);
        assertThat(o.cpuThreads()).isEqualTo(2);
        assertThat(o.defaultParams().maxNewTokens()).isEqualTo(64);
        assertThat(o.effectiveTokenBudget(4, 100)).isEqualTo(400);
        assertThat(EngineOptions.builder().setTokenBudget(123).build().effectiveTokenBudget(4, 100)).isEqualTo(123);
    }

    @Test
    void invalidOptionsAreRefusedByName() {
        assertThatThrownBy(() -> EngineOptions.builder().setMaxBatchSize(0).build())
                .hasMessageContaining("maxBatchSize");
        assertThatThrownBy(() -> EngineOptions.builder().setMaxWait(Duration.ofMillis(-1)).build())
                .hasMessageContaining("maxWait");
        assertThatThrownBy(() -> EngineOptions.builder().setQueueCapacity(0).build())
                .hasMessageContaining("queueCapacity");
        assertThatThrownBy(() -> EngineOptions.builder().setTokenBudget(-1).build())
                .hasMessageContaining("tokenBudget");
        assertThatThrownBy(() -> EngineOptions.builder().setCpuThreads(0).build()).hasMessageContaining("cpuThreads");
        assertThatThrownBy(() -> EngineOptions.builder().setMaxPrefillTokens(-1).build())
                .hasMessageContaining("maxPrefillTokens");
    }
}
