package dev.eveflink.smoke;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Smoke job for deploy/flink/smoke.sh: an endless, rate-limited sequence 0, 1, 2, ... (checkpointed
 * source position) keyed by value mod 4 into a counter (checkpointed keyed state).
 *
 * <p>For every value v it prints {@code SMOKE attempt=a key=k value=v count=c ok=true|false}: with
 * exactly-once state, key k has seen exactly v/4 + 1 values when v arrives, across restores. The
 * first attempt fails once on purpose at the first value &gt;= {@code failAt} after a completed
 * checkpoint, so a restart in the SAME TaskManager
 * (a new user-code class loader) must use DJL's libtorch again: that works only because DJL is
 * loaded parent-first from the cluster's lib/. Each counter's open() runs a tiny PyTorch op.
 *
 * <p>Arguments: [recordsPerSecond (50)] [failAt (150)].
 */
public final class SmokeJob {
    private SmokeJob() {}

    public static void main(String[] args) throws Exception {
        double perSecond = args.length > 0 ? Double.parseDouble(args[0]) : 50;
        long failAt = args.length > 1 ? Long.parseLong(args[1]) : 150;

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.enableCheckpointing(1000);
        DataGeneratorSource<SmokeEvent> source =
                new DataGeneratorSource<>(
                        SmokeEvent::new,
                        Long.MAX_VALUE,
                        RateLimiterStrategy.perSecond(perSecond),
                        TypeInformation.of(SmokeEvent.class));
        env.fromSource(source, WatermarkStrategy.noWatermarks(), "sequence")
                .setParallelism(1)
                .keyBy(e -> e.getValue() % 4, Types.LONG)
                .process(new Counter(failAt))
                .setParallelism(2)
                .print()
                .setParallelism(1);
        env.execute("eve-flink smoke");
    }

    /** Counts values per key in checkpointed state and checks the count against the value. */
    static final class Counter extends KeyedProcessFunction<Long, SmokeEvent, String>
            implements CheckpointListener {
        private final long failAt;
        private transient ValueState<Long> seen;
        private transient int attempt;
        private transient boolean checkpointCompleted;

        Counter(long failAt) {
            this.failAt = failAt;
        }

        @Override
        public void open(OpenContext context) {
            seen = getRuntimeContext().getState(new ValueStateDescriptor<>("seen", Types.LONG));
            attempt = getRuntimeContext().getTaskInfo().getAttemptNumber();
            try (NDManager manager = NDManager.newBaseManager()) {
                NDArray x = manager.arange(4f); // [4]
                float sum = x.sum().getFloat();
                System.out.println(
                        "SMOKE-DJL attempt=" + attempt
                                + " engine=" + Engine.getInstance().getEngineName()
                                + " sum=" + sum
                                + " djlLoader=" + Engine.class.getClassLoader()
                                + " userLoader=" + Thread.currentThread().getContextClassLoader().getClass().getName()
                                + " avroLoader=" + org.apache.avro.Schema.class.getClassLoader());
            }
        }

        @Override
        public void notifyCheckpointComplete(long checkpointId) {
            checkpointCompleted = true;
        }

        @Override
        public void processElement(SmokeEvent event, Context ctx, Collector<String> out) throws Exception {
            long v = event.getValue();
            // Fails only after a completed checkpoint, so the restart always restores one.
            if (attempt == 0 && checkpointCompleted && v >= failAt) {
                throw new IllegalStateException("SMOKE deliberate failure at value " + v);
            }
            long count = (seen.value() == null ? 0 : seen.value()) + 1;
            seen.update(count);
            out.collect("SMOKE attempt=" + attempt + " key=" + ctx.getCurrentKey() + " value=" + v
                    + " count=" + count + " ok=" + (count == v / 4 + 1));
        }
    }
}
