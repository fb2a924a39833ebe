package dev.eveflink.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eveflink.operators.avro.DeadLetter;
import dev.eveflink.operators.avro.ImageEvent;
import dev.eveflink.operators.avro.InferenceResult;
import dev.eveflink.operators.avro.ResultStatus;
import dev.eveflink.operators.inference.EveEngineFactory;
import dev.eveflink.operators.kafka.LocalKafkaBroker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * One bad record of every kind, mixed into 1,000 good events plus legal extremes, through the real
 * job with restarts disabled: every bad one becomes exactly one typed dead letter, every good one an
 * OK result, the counts add up, and the job is still running (it never failed).
 */
class BadInputITCase {
    private static final int GOOD = 1_000;

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder()
                    .setNumberTaskManagers(1)
                    .setNumberSlotsPerTaskManager(2)
                    .build());

    private static LocalKafkaBroker broker;
    private static JobTestKafka kafka;

    @BeforeAll
    static void startKafka() throws Exception {
        broker = LocalKafkaBroker.start();
        kafka = new JobTestKafka(broker);
    }

    @AfterAll
    static void stopKafka() throws Exception {
        broker.close();
    }

    @Test
    void everyBadInputBecomesOneTypedDeadLetterAndTheJobKeepsRunning() throws Exception {
        JobConfig config = kafka.createJob("bad", EveJobITCase.MODEL);
        List<BadInputs.Bad> bad = BadInputs.corpus();
        List<ImageEvent> good = new ArrayList<>(JobTestKafka.worldEvents("good", GOOD, 21));
        good.addAll(BadInputs.extremes());
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        int step = good.size() / bad.size();
        for (int i = 0; i < good.size(); i++) {
            records.add(JobTestKafka.record(config.inputTopic(), good.get(i)));
            if (i % step == step / 2 && i / step < bad.size()) {
                BadInputs.Bad b = bad.get(i / step);
                records.add(JobTestKafka.record(config.inputTopic(), b.key(), b.value()));
            }
        }
        assertThat(records).hasSize(good.size() + bad.size());
        kafka.produce(records);

        Configuration noRestarts = new Configuration();
        noRestarts.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(noRestarts);
        env.setParallelism(2);
        EveJob.define(env, config, new EveEngineFactory(), null);
        JobClient job = env.executeAsync("bad-inputs");
        try {
            Map<String, Integer> accounted = kafka.accounted(config, records.size(), Duration.ofMinutes(4));
            assertThat(job.getJobStatus().get()).as("the job never failed").isEqualTo(JobStatus.RUNNING);

            Map<String, String> codeByKey = new HashMap<>();
            for (DeadLetter d : kafka.deadLetters(config)) {
                String key = d.getKey() == null ? "null" : StandardCharsets.UTF_8.decode(d.getKey()).toString();
                assertThat(codeByKey.put(key, d.getErrorCode())).as("one dead letter for %s", key).isNull();
            }
            for (BadInputs.Bad b : bad) {
                assertThat(codeByKey).as("dead letter of %s", b.key()).containsKey(b.key());
                assertThat(codeByKey.get(b.key())).as("error code of %s", b.key()).isEqualTo(b.expectedCode());
            }
            assertThat(codeByKey).hasSize(bad.size());

            Map<String, List<InferenceResult>> results = kafka.results(config);
            for (ImageEvent e : good) {
                assertThat(results.get(e.getId())).as("result of %s", e.getId()).hasSize(1);
                assertThat(results.get(e.getId()).get(0).getStatus()).as("status of %s", e.getId())
                        .isEqualTo(ResultStatus.OK);
            }
            // inputs = OK results + dead letters, each exactly once.
            assertThat(accounted).hasSize(records.size());
            assertThat(accounted.values()).containsOnly(1);
        } finally {
            job.cancel().get();
        }
    }
}
