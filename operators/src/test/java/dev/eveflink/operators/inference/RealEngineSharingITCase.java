package dev.eveflink.operators.inference;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eveflink.model.engine.CloseableInferenceService;
import dev.eveflink.model.engine.EngineKey;
import dev.eveflink.model.engine.EnginePool;
import dev.eveflink.operators.avro.ImageEvent;
import dev.eveflink.operators.avro.InferenceResult;
import dev.eveflink.operators.avro.ResultStatus;
import dev.eveflink.operators.testutils.ImageEvents;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The REAL engine (EVE on the golden tiny model) behind AsyncDataStream with parallelism 2 in one
 * TaskManager of two slots: both subtasks share one engine (one load, two leases), every event is
 * answered by the model, and the engine closes with the job.
 */
class RealEngineSharingITCase {
    private static final int PARALLELISM = 2;
    private static final int EVENTS = 200;
    private static final Path MODEL = Path.of("..", "model", "src", "test", "golden", "eve-tiny").toAbsolutePath()
            .normalize();

    /** Per test run (named): loads and closes of the real engine, and the most leases seen at once. */
    static final Map<String, AtomicInteger> LOADS = new ConcurrentHashMap<>();
    static final Map<String, AtomicInteger> CLOSES = new ConcurrentHashMap<>();
    static final Map<String, AtomicInteger> MAX_LEASES = new ConcurrentHashMap<>();

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder()
                    .setNumberTaskManagers(1)
                    .setNumberSlotsPerTaskManager(PARALLELISM)
                    .build());

    /** The real factory, counting loads and closes. */
    static final class CountingFactory implements InferenceServiceFactory {
        private static final long serialVersionUID = 1L;
        private final String name;

        CountingFactory(String name) {
            this.name = name;
        }

        @Override
        public CloseableInferenceService load(EngineKey key) throws Exception {
            LOADS.get(name).incrementAndGet();
            CloseableInferenceService real = new EveEngineFactory().load(key);
            return CloseableInferenceService.of(real, () -> {
                real.close();
                CLOSES.get(name).incrementAndGet();
            });
        }
    }

    /** Samples the pool's lease count while results flow (both subtasks are open then). */
    static final class LeaseSampler implements MapFunction<InferenceResult, InferenceResult> {
        private static final long serialVersionUID = 1L;
        private final String name;
        private final InferenceOptions options; // the key itself holds a Path, which is not serializable

        LeaseSampler(String name, InferenceOptions options) {
            this.name = name;
            this.options = options;
        }

        @Override
        public InferenceResult map(InferenceResult r) {
            int leases = EnginePool.shared().activeLeases(options.engineKey("cpu()"));
            MAX_LEASES.get(name).accumulateAndGet(leases, Math::max);
            return r;
        }
    }

    @Test
    void twoSlotsShareOneRealEngine() throws Exception {
        String name = "real-" + UUID.randomUUID();
        LOADS.put(name, new AtomicInteger());
        CLOSES.put(name, new AtomicInteger());
        MAX_LEASES.put(name, new AtomicInteger());
        InferenceOptions options = InferenceOptions.builder(MODEL.toString())
                .setDevice("cpu")
                .setCapacity(16)
                .setMaxBatchSize(8)
                .setDefaultMaxNewTokens(6)
                .setTimeout(Duration.ofMinutes(2))
                .setEngineOptions(Map.of("test", name))
                .build();
        EngineKey key = options.engineKey("cpu()");
        byte[] image = Files.readAllBytes(MODEL.resolve("images").resolve("grad_shapes_64x64.png"));
        List<ImageEvent> events = new ArrayList<>();
        for (int i = 0; i < EVENTS; i++) {
            events.add(ImageEvents.caption("real-" + i, image));
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(PARALLELISM);
        DataStream<ImageEvent> input = env.fromData(events, new AvroTypeInfo<>(ImageEvent.class)).rebalance();

        List<InferenceResult> results = new ArrayList<>();
        try (CloseableIterator<InferenceResult> it = EveInference.apply(input, options, new CountingFactory(name))
                .uid("eve-inference")
                .map(new LeaseSampler(name, options))
                .returns(new AvroTypeInfo<>(InferenceResult.class))
                .executeAndCollect()) {
            it.forEachRemaining(results::add);
        }

        assertThat(results).extracting(InferenceResult::getId)
                .containsExactlyInAnyOrderElementsOf(events.stream().map(ImageEvent::getId).toList());
        assertThat(results).allSatisfy(r -> {
            assertThat(r.getStatus()).as("%s", r).isEqualTo(ResultStatus.OK);
            assertThat(r.getDevice()).isEqualTo("cpu()");
            assertThat(r.getGeneratedTokens()).isBetween(1, 6);
            assertThat(r.getBatchSize()).isBetween(1, 8);
        });
        // Both subtasks answered through one engine: batches larger than one subtask's share happen.
        assertThat(results).anySatisfy(r -> assertThat(r.getBatchSize()).isGreaterThan(1));
        assertThat(LOADS.get(name).get()).as("loads").isEqualTo(1);
        assertThat(MAX_LEASES.get(name).get()).as("leases held at once").isEqualTo(PARALLELISM);
        assertThat(CLOSES.get(name).get()).as("closes").isEqualTo(1);
        assertThat(EnginePool.shared().activeLeases(key)).isZero();
    }
}
