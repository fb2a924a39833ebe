package dev.eveflink.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eveflink.operators.avro.ImageEvent;
import dev.eveflink.operators.avro.InferenceResult;
import dev.eveflink.operators.avro.ResultStatus;
import dev.eveflink.operators.inference.EveEngineFactory;
import dev.eveflink.operators.kafka.LocalKafkaBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The job end to end on real parts: an in-process KRaft broker, a MiniCluster with two TaskManagers,
 * the real EVE engine on the golden tiny model, exactly-once sinks read with read_committed.
 */
class EveJobITCase {
    static final String MODEL = Path.of("..", "model", "src", "test", "golden", "eve-tiny").toAbsolutePath()
            .normalize().toString();
    static final int EVENTS = 1_000;
    static final Duration WAIT = Duration.ofMinutes(4);

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder()
                    .setNumberTaskManagers(2)
                    .setNumberSlotsPerTaskManager(1)
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

    private static List<ProducerRecord<byte[], byte[]>> records(JobConfig config, List<ImageEvent> events)
            throws Exception {
        List<ProducerRecord<byte[], byte[]>> out = new ArrayList<>();
        for (ImageEvent e : events) {
            out.add(JobTestKafka.record(config.inputTopic(), e));
        }
        return out;
    }

    private static JobClient start(JobConfig config, boolean failOnce) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        EveJob.define(env, config, new EveEngineFactory(), failOnce ? FailOnceAfterCheckpoint::new : null);
        return env.executeAsync(config.groupId());
    }

    /** Every id answered exactly once: 1,000 OK results on the results topic, no dead letters. */
    private static void assertExactlyOnce(JobConfig config, Map<String, Integer> accounted) throws Exception {
        Map<String, List<InferenceResult>> results = kafka.results(config);
        assertThat(results).hasSize(EVENTS);
        assertThat(results.values()).allSatisfy(list -> assertThat(list).hasSize(1));
        assertThat(results.values()).allSatisfy(list ->
                assertThat(list.get(0).getStatus()).as("%s", list.get(0)).isEqualTo(ResultStatus.OK));
        assertThat(accounted).hasSize(EVENTS);
        assertThat(accounted.values()).containsOnly(1);
        assertThat(kafka.deadLetters(config)).isEmpty();
    }

    @Test
    void thousandMixedEventsGiveThousandResults() throws Exception {
        JobConfig config = kafka.createJob("mixed", MODEL);
        kafka.produce(records(config, JobTestKafka.worldEvents("mixed", EVENTS, 11)));
        JobClient job = start(config, false);
        try {
            Map<String, Integer> accounted = kafka.accounted(config, EVENTS, WAIT);
            assertExactlyOnce(config, accounted);
            Map<String, List<InferenceResult>> results = kafka.results(config);
            InferenceResult any = results.get("mixed-1").get(0);
            assertThat(any.getDevice()).isEqualTo("cpu()");
            assertThat(any.getBatchSize()).isPositive();
            assertThat(any.getGeneratedTokens()).isBetween(1, 6);
        } finally {
            job.cancel().get();
        }
    }

    @Test
    void exactlyOnceAcrossAnInjectedFailure() throws Exception {
        FailOnceAfterCheckpoint.reset();
        JobConfig config = kafka.createJob("failure", MODEL);
        kafka.produce(records(config, JobTestKafka.worldEvents("failure", EVENTS, 12)));
        JobClient job = start(config, true);
        try {
            Map<String, Integer> accounted = kafka.accounted(config, EVENTS, WAIT);
            assertThat(FailOnceAfterCheckpoint.FAILED).as("the failure was injected").isTrue();
            assertExactlyOnce(config, accounted);
        } finally {
            job.cancel().get();
        }
    }

    @Test
    void exactlyOnceAcrossATaskManagerKill(@InjectMiniCluster MiniCluster cluster) throws Exception {
        JobConfig config = kafka.createJob("tmkill", MODEL);
        List<ImageEvent> events = JobTestKafka.worldEvents("tmkill", EVENTS, 13);
        // The first half is processed and committed before the kill; the second arrives during the recovery.
        kafka.produce(records(config, events.subList(0, EVENTS / 2)));
        JobClient job = start(config, false);
        try {
            Map<String, Integer> before = kafka.accountedAtLeast(config, 50, WAIT);
            assertThat(before.size()).isGreaterThanOrEqualTo(50);
            cluster.terminateTaskManager(0).get();
            kafka.produce(records(config, events.subList(EVENTS / 2, EVENTS)));
            cluster.startTaskManager();
            Map<String, Integer> accounted = kafka.accounted(config, EVENTS, WAIT);
            assertExactlyOnce(config, accounted);
        } finally {
            job.cancel().get();
        }
    }
}
