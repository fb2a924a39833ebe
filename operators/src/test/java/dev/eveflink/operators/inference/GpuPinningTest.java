package dev.eveflink.operators.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eveflink.operators.avro.ImageEvent;
import dev.eveflink.operators.avro.InferenceResult;
import dev.eveflink.operators.testutils.FakeEngine;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.flink.api.common.externalresource.ExternalResourceInfo;
import org.apache.flink.formats.avro.typeutils.AvroSerializer;
import org.apache.flink.runtime.externalresource.ExternalResourceInfoProvider;
import org.apache.flink.runtime.operators.testutils.MockEnvironment;
import org.apache.flink.runtime.operators.testutils.MockEnvironmentBuilder;
import org.apache.flink.streaming.api.datastream.AsyncDataStream;
import org.apache.flink.streaming.api.operators.async.AsyncWaitOperatorFactory;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * Device pinning as a TaskManager with GPUs would drive it: a fake external-resource provider reports
 * the TaskManager's GPUs (resource "gpu", property "index", in no particular order, as Flink's GPU
 * driver does), and each subtask opens its engine on gpu(indices[subtask % count]).
 */
class GpuPinningTest {

    /** A GPU as Flink's driver reports it: only an index property. */
    private record Gpu(String index) implements ExternalResourceInfo {
        @Override
        public Optional<String> getProperty(String key) {
            return "index".equals(key) ? Optional.of(index) : Optional.empty();
        }

        @Override
        public Collection<String> getKeys() {
            return List.of("index");
        }
    }

    private static ExternalResourceInfoProvider gpus(String... indices) {
        Set<ExternalResourceInfo> infos = java.util.Arrays.stream(indices).map(Gpu::new).collect(Collectors.toSet());
        return resource -> "gpu".equals(resource) ? infos : Set.of();
    }

    /** Opens subtask {@code index} of {@code parallelism} and returns the devices its engine was loaded on. */
    private static List<String> open(String device, ExternalResourceInfoProvider provider, int index, int parallelism)
            throws Exception {
        String name = "gpu-" + UUID.randomUUID();
        FakeEngine engine = FakeEngine.register(name);
        InferenceOptions options = InferenceOptions.builder("/models/eve-tiny")
                .setDevice(device)
                .setCapacity(4)
                .setMaxBatchSize(4)
                .setTimeout(Duration.ofSeconds(5))
                .setEngineOptions(Map.of("test", name))
                .build();
        MockEnvironment environment = new MockEnvironmentBuilder()
                .setExternalResourceInfoProvider(provider)
                .setParallelism(parallelism)
                .setMaxParallelism(128)
                .setSubtaskIndex(index)
                .build();
        try (var harness = new OneInputStreamOperatorTestHarness<ImageEvent, InferenceResult>(
                new AsyncWaitOperatorFactory<>(new EveAsyncFunction(options, FakeEngine.factory(name)),
                        options.timeoutMillis(), options.capacity(), AsyncDataStream.OutputMode.UNORDERED),
                new AvroSerializer<>(ImageEvent.class), environment)) {
            harness.setup(new AvroSerializer<>(InferenceResult.class));
            harness.open();
            return engine.devices();
        }
    }

    @Test
    void eachSubtaskPicksItsGpuByIndexModuloTheCount() throws Exception {
        ExternalResourceInfoProvider twoGpus = gpus("1", "0");
        assertThat(open("gpu", twoGpus, 0, 3)).containsExactly("gpu(0)");
        assertThat(open("gpu", twoGpus, 1, 3)).containsExactly("gpu(1)");
        assertThat(open("gpu", twoGpus, 2, 3)).containsExactly("gpu(0)");
        assertThat(open("auto", twoGpus, 1, 2)).containsExactly("gpu(1)");
    }

    @Test
    void anExplicitListIsUsedAndCheckedAgainstTheTaskManager() throws Exception {
        ExternalResourceInfoProvider fourGpus = gpus("0", "1", "2", "3");
        assertThat(open("gpu(2),gpu(3)", fourGpus, 1, 2)).containsExactly("gpu(3)");
        assertThatThrownBy(() -> open("gpu(7)", fourGpus, 0, 1))
                .hasMessageContaining("7");
    }

    @Test
    void cpuOnlyWhenConfiguredOrAllowed() throws Exception {
        ExternalResourceInfoProvider none = gpus();
        assertThat(open("cpu", gpus("0"), 0, 1)).containsExactly("cpu()");
        assertThat(open("auto", none, 0, 1)).containsExactly("cpu()");
        assertThatThrownBy(() -> open("gpu", none, 0, 1)).isInstanceOf(IllegalStateException.class);
    }
}
