package dev.eveflink.operators.inference;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eveflink.model.engine.EngineKey;
import dev.eveflink.model.engine.EnginePool;
import dev.eveflink.operators.avro.ImageEvent;
import dev.eveflink.operators.avro.InferenceResult;
import dev.eveflink.operators.avro.ResultStatus;
import dev.eveflink.operators.testutils.FakeEngine;
import dev.eveflink.operators.testutils.ImageEvents;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two parallel subtasks of the inference operator in ONE TaskManager (two slots) share one engine
 * through {@link EnginePool#shared()}: one load, two leases, every result present, and the engine
 * closed once the job ends.
 */
class EnginePoolSharingITCase {

    private static final int PARALLELISM = 2;
    private static final int EVENTS = 40;

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(PARALLELISM)
                            .build());

    @Test
    void subtasksOfOneTaskManagerShareOneEngine() throws Exception {
        String name = "minicluster-" + UUID.randomUUID();
        InferenceOptions options =
                InferenceOptions.builder("/models/eve-tiny")
                        .setDevice("cpu")
                        .setCapacity(EVENTS)
                        .setMaxBatchSize(8)
                        .setTimeout(Duration.ofMinutes(2))
                        .setEngineOptions(Map.of("test", name))
                        .build();
        EngineKey key = options.engineKey("cpu()");
        AtomicInteger leasesWhenAllSubmitted = new AtomicInteger(-1);
        // The fake answers nothing until all events were submitted: both subtasks must then be
        // open at the same time, so a second load could not hide behind a closed first engine.
        FakeEngine engine =
                FakeEngine.register(name)
                        .answerAllAt(
                                EVENTS,
                                () ->
                                        leasesWhenAllSubmitted.set(
                                                EnginePool.shared().activeLeases(key)));

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(PARALLELISM);
        List<ImageEvent> events = IntStream.range(0, EVENTS).mapToObj(ImageEvents::numbered).toList();
        DataStream<ImageEvent> input =
                env.fromData(events, new AvroTypeInfo<>(ImageEvent.class)).rebalance();

        List<InferenceResult> results = new ArrayList<>();
        try (CloseableIterator<InferenceResult> it =
                EveInference.apply(input, options, FakeEngine.factory(name))
                        .uid("eve-inference")
                        .executeAndCollect()) {
            it.forEachRemaining(results::add);
        }

        assertThat(results)
                .extracting(InferenceResult::getId)
                .containsExactlyInAnyOrderElementsOf(
                        events.stream().map(ImageEvent::getId).toList());
        assertThat(results).allSatisfy(r -> assertThat(r.getStatus()).isEqualTo(ResultStatus.OK));
        assertThat(engine.loads()).isEqualTo(1);
        assertThat(leasesWhenAllSubmitted.get()).isEqualTo(PARALLELISM);
        assertThat(engine.closes()).isEqualTo(1);
        assertThat(EnginePool.shared().activeLeases(key)).isZero();
    }
}
