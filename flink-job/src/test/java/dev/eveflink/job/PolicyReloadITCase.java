package dev.eveflink.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eveflink.model.demo.world.DemoPolicy;
import dev.eveflink.model.demo.world.World;
import dev.eveflink.model.policy.ModerationPolicy;
import dev.eveflink.model.policy.PolicyFiles;
import dev.eveflink.model.policy.PolicySet;
import dev.eveflink.operators.avro.DeadLetter;
import dev.eveflink.operators.avro.ImageEvent;
import dev.eveflink.operators.avro.InferenceResult;
import dev.eveflink.operators.avro.InlineImage;
import dev.eveflink.operators.avro.PolicyDecision;
import dev.eveflink.operators.avro.PolicyVerdict;
import dev.eveflink.operators.avro.ResultStatus;
import dev.eveflink.operators.avro.Task;
import dev.eveflink.operators.errors.ErrorCode;
import dev.eveflink.operators.inference.EveEngineFactory;
import dev.eveflink.operators.kafka.LocalKafkaBroker;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hot reload of moderation policies end to end: an in-process KRaft broker, the job on a MiniCluster
 * (parallelism 1, one-partition topics, so "from some event on" is well defined), the shipped demo
 * model scoring MODERATE events of tenants A and B. A new set for A published on the policy topic
 * mid-stream changes A's decisions from some event on, and only A's; an invalid record changes nothing
 * and becomes a dead letter; after a failure and a restore from a checkpoint taken after the reload,
 * A still uses the new set although the policy topic is not read again.
 *
 * <p>Expected decisions are computed from the scores the model gave, with the thresholds of the set in
 * force; A and B send the same images (A-i and B-i share image i), so B's default-set scores say what
 * A's decisions would have been without the reload.
 */
class PolicyReloadITCase {
    private static final Logger LOG = LoggerFactory.getLogger(PolicyReloadITCase.class);
    static final String MODEL = Path.of("..", "model", "demo", "eve-shapes").toAbsolutePath().normalize().toString();
    static final Duration WAIT = Duration.ofMinutes(3);
    static final long SEED = 27;
    /** Events per tenant and round. */
    static final int ROUND = 6;
    /** Rounds sent after the reload before giving up on seeing it take effect. */
    static final int MAX_ROUNDS = 10;

    /** The job's default: the demo's two policies (the bare-list file format, which every reader accepts). */
    static final PolicySet DEFAULTS = DemoPolicy.policySet();
    /** A's new set: the red policy in a new version with a review band, the symbol policy dropped. */
    static final String A_SET_YAML = """
            version: a-2
            policies:
              - id: red-alert
                version: 2
                question: is there anything red?
                review: 0.05
                flag: 0.95
                action: quarantine
            """;
    static final PolicySet A_SET = PolicyFiles.parse(A_SET_YAML, "A's set");

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder()
                    .setNumberTaskManagers(1)
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

    @Test
    void aReloadChangesOnlyItsTenantsDecisionsFromTheNextEventOnAndSurvivesARestore(@TempDir Path dir)
            throws Exception {
        Path defaults = dir.resolve("policies.json");
        Files.writeString(defaults, bareList(DEFAULTS));
        JobConfig config = kafka.createJob("reload", MODEL, 1, "--policies-file", defaults.toString());
        FailOnceAfterCheckpoint.reset();
        FailOnceAfterCheckpoint.FAILED.set(true); // disarmed until phase 3
        JobClient job = start(config);
        try {
            Timeline timeline = new Timeline(config);

            // Phase 1: both tenants on the default set.
            timeline.sendRound();
            Map<String, InferenceResult> results = timeline.awaitAll();
            for (int i = 0; i < timeline.sent; i++) {
                assertUses(results.get("A-" + i), DEFAULTS);
                assertUses(results.get("B-" + i), DEFAULTS);
            }

            // Phase 2: a new set for A; from some event of A on, every result uses it.
            kafka.produce(List.of(JobTestKafka.record(config.policiesTopic(), "A",
                    A_SET_YAML.getBytes(StandardCharsets.UTF_8))));
            int reloadRoundStart = timeline.sent;
            for (int round = 0; round < MAX_ROUNDS && !usesNewSetSomewhere(results, reloadRoundStart, timeline.sent);
                    round++) {
                timeline.sendRound();
                results = timeline.awaitAll();
            }
            int firstNew = firstIndexUsing(results, "A", A_SET, timeline.sent);
            assertThat(firstNew).as("A's reload took effect within %d rounds", MAX_ROUNDS).isGreaterThanOrEqualTo(0);
            assertThat(firstNew).as("not before it was published").isGreaterThanOrEqualTo(reloadRoundStart);
            // An invalid update for A: refused, dead-lettered, A keeps the new set.
            kafka.produce(List.of(JobTestKafka.record(config.policiesTopic(), "A",
                    "policies:\n  - id: red-alert\n    question: is there anything red?\n    flag: high\n"
                            .getBytes(StandardCharsets.UTF_8))));
            List<DeadLetter> refused = awaitPolicyDeadLetters(config, 1);
            assertThat(refused.get(0).getErrorMessage()).contains(config.policiesTopic() + "-0@1:4", "'flag'", "high");
            timeline.sendRound();
            results = timeline.awaitAll();

            // Phase 3: fail after the checkpoints that hold the reload; the policy topic is not re-sent.
            FailOnceAfterCheckpoint.FAILED.set(false);
            timeline.sendRound();
            timeline.sendRound();
            results = timeline.awaitAll();
            assertThat(FailOnceAfterCheckpoint.FAILED).as("the failure was injected").isTrue();

            // A: default before firstNew, the new set from there on, across the restore; B: default throughout.
            for (int i = 0; i < timeline.sent; i++) {
                assertUses(results.get("A-" + i), i < firstNew ? DEFAULTS : A_SET);
                assertUses(results.get("B-" + i), DEFAULTS);
            }
            // Decisions really changed: A's overall verdict under the new set differs from what the default
            // set decided on the same image (B's twin event) for some events.
            long changed = 0;
            for (int i = firstNew; i < timeline.sent; i++) {
                if (results.get("A-" + i).getFlagged() != results.get("B-" + i).getFlagged()) {
                    changed++;
                }
            }
            LOG.info("A's reload took effect at A-{} (published before A-{}); {} of A's {} later events flagged"
                    + " differently from the default set on the same image", firstNew, reloadRoundStart, changed,
                    timeline.sent - firstNew);
            assertThat(changed).as("events of A whose flag differs from the default set's on the same image")
                    .isPositive();
            // Exactly one result per event, and the refused record was dead-lettered once: had the restore read
            // the policy topic again, it would have been refused a second time.
            assertThat(kafka.results(config).values()).allSatisfy(list -> assertThat(list).hasSize(1));
            assertThat(policyDeadLetters(config)).hasSize(1);
        } finally {
            job.cancel().get();
        }
    }

    /** Sends rounds of twin MODERATE events (A-i, B-i on image i) and reads their results. */
    private static final class Timeline {
        final JobConfig config;
        int sent;

        Timeline(JobConfig config) {
            this.config = config;
        }

        void sendRound() throws Exception {
            List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
            for (int i = sent; i < sent + ROUND; i++) {
                for (String tenant : List.of("A", "B")) {
                    records.add(JobTestKafka.record(config.inputTopic(), moderate(tenant, i)));
                }
            }
            kafka.produce(records);
            sent += ROUND;
        }

        /** Every result so far, by id, once all events sent so far are answered (read_committed). */
        Map<String, InferenceResult> awaitAll() throws Exception {
            Map<String, InferenceResult> byId = new HashMap<>();
            for (ConsumerRecord<byte[], byte[]> r : broker.consumeAtLeast(config.resultsTopic(), 2 * sent, WAIT)) {
                InferenceResult result = InferenceResult.fromByteBuffer(ByteBuffer.wrap(r.value()));
                assertThat(byId.put(result.getId(), result)).as("second result for %s", result.getId()).isNull();
            }
            assertThat(byId).hasSize(2 * sent);
            return byId;
        }
    }

    private static JobClient start(JobConfig config) throws Exception {
        Configuration conf = new Configuration();
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 3);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(200));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(1);
        EveJob.define(env, config, new EveEngineFactory(), FailOnceAfterCheckpoint::new);
        return env.executeAsync(config.groupId());
    }

    private static ImageEvent moderate(String tenant, int i) {
        return ImageEvent.newBuilder()
                .setId(tenant + "-" + i)
                .setTenant(tenant)
                .setTimestamp(Instant.ofEpochMilli(1_767_225_600_000L + i))
                .setImage(InlineImage.newBuilder().setData(ByteBuffer.wrap(World.sample(SEED, i).image())).build())
                .setTask(Task.MODERATE)
                .build();
    }

    /** The result is OK with one verdict per policy of {@code set}, each decided by that policy on its score. */
    private static void assertUses(InferenceResult result, PolicySet set) {
        assertThat(result).isNotNull();
        assertThat(result.getStatus()).as("%s", result).isEqualTo(ResultStatus.OK);
        assertThat(result.getPolicies()).extracting(PolicyVerdict::getPolicyId).as(result.getId())
                .containsExactlyElementsOf(set.ids());
        boolean flagged = false;
        for (PolicyVerdict verdict : result.getPolicies()) {
            ModerationPolicy policy = set.policy(verdict.getPolicyId()).orElseThrow();
            PolicyDecision expected = PolicyDecision.valueOf(policy.decide(verdict.getScore()).name());
            assertThat(verdict.getDecision()).as("%s %s at %s", result.getId(), policy.id(), verdict.getScore())
                    .isEqualTo(expected);
            flagged |= expected != PolicyDecision.ALLOW;
        }
        assertThat(result.getFlagged()).as("%s flagged", result.getId()).isEqualTo(flagged);
    }

    private static boolean uses(InferenceResult result, PolicySet set) {
        return result.getPolicies().stream().map(PolicyVerdict::getPolicyId).toList().equals(set.ids());
    }

    private static boolean usesNewSetSomewhere(Map<String, InferenceResult> results, int from, int to) {
        return firstIndexUsing(results, "A", A_SET, to) >= from;
    }

    private static int firstIndexUsing(Map<String, InferenceResult> results, String tenant, PolicySet set, int to) {
        for (int i = 0; i < to; i++) {
            if (uses(results.get(tenant + "-" + i), set)) {
                return i;
            }
        }
        return -1;
    }

    private static List<DeadLetter> policyDeadLetters(JobConfig config) throws Exception {
        return kafka.deadLetters(config).stream()
                .filter(d -> d.getTopic().equals(config.policiesTopic()))
                .collect(Collectors.toList());
    }

    private static List<DeadLetter> awaitPolicyDeadLetters(JobConfig config, int count) throws Exception {
        List<DeadLetter> out = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : broker.consumeAtLeast(config.deadLetterTopic(), count, WAIT)) {
            out.add(DeadLetter.fromByteBuffer(ByteBuffer.wrap(r.value())));
        }
        assertThat(out).extracting(DeadLetter::getTopic).containsOnly(config.policiesTopic());
        assertThat(out).extracting(DeadLetter::getErrorCode).containsOnly(ErrorCode.POLICY_INVALID.name());
        return out;
    }

    /** The set as the bare JSON list of policies that both the old and the new policies-file readers accept. */
    private static String bareList(PolicySet set) {
        return set.policies().stream()
                .map(p -> String.format(Locale.ROOT,
                        "{\"id\":\"%s\",\"question\":\"%s\",\"review\":%s,\"flag\":%s}",
                        p.id(), p.questions().get(0), p.reviewThreshold(), p.flagThreshold()))
                .collect(Collectors.joining(",", "[", "]"));
    }
}
