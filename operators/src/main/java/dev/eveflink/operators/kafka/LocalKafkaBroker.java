package dev.eveflink.operators.kafka;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A single-node KRaft Kafka broker in this JVM, bound to 127.0.0.1 only (broker and controller
 * listeners), on free ports, with a temporary log directory deleted on {@link #close()}. Used by
 * the integration tests and the local demo; {@code kafka_2.13} is a {@code provided} dependency, so
 * this class works only where the caller put the broker on the classpath (never in the job jar).
 *
 * <pre>{@code
 * try (LocalKafkaBroker kafka = LocalKafkaBroker.start()) {
 *     kafka.createTopic("vlm.requests", 1);
 *     kafka.produce("vlm.requests", key, value);
 *     List<ConsumerRecord<byte[], byte[]>> all = kafka.consumeAll("vlm.requests");
 * }
 * }</pre>
 *
 * <p>Kafka's own {@code KafkaClusterTestKit} binds the wildcard address; this class does not.
 */
public final class LocalKafkaBroker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalKafkaBroker.class);
    private static final String HOST = "127.0.0.1";
    private static final int START_ATTEMPTS = 3;
    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    /** The running broker+controller. */
    private final KafkaRaftServer server;

    /** Temporary log directory, deleted on close. */
    private final Path logDir;

    /** PLAINTEXT listener port. */
    private final int port;

    /** CONTROLLER listener port. */
    private final int controllerPort;

    private LocalKafkaBroker(KafkaRaftServer server, Path logDir, int port, int controllerPort) {
        this.server = server;
        this.logDir = logDir;
        this.port = port;
        this.controllerPort = controllerPort;
    }

    /** Formats storage and starts a broker; retries on free ports if a port was taken meanwhile. */
    public static LocalKafkaBroker start() throws Exception {
        Exception last = null;
        for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
            Path logDir = Files.createTempDirectory("local-kafka-broker-");
            int port = freePort();
            int controllerPort = freePort();
            try {
                return startOn(logDir, port, controllerPort);
            } catch (Exception e) {
                last = e;
                deleteRecursively(logDir);
                LOG.warn(
                        "Kafka start attempt {} on ports {}/{} failed: {}",
                        attempt,
                        port,
                        controllerPort,
                        e.toString());
            }
        }
        throw last;
    }

    private static LocalKafkaBroker startOn(Path logDir, int port, int controllerPort)
            throws Exception {
        long started = System.nanoTime();
        Properties props = brokerProperties(logDir, port, controllerPort);
        KafkaConfig config = new KafkaConfig(props, false);
        new Formatter()
                .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                .setClusterId(Uuid.randomUuid().toString())
                .setNodeId(1)
                .setControllerListenerName("CONTROLLER")
                .setMetadataLogDirectory(logDir.toString())
                .setDirectories(List.of(logDir.toString()))
                .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                .run();
        KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
        try {
            server.startup();
            LocalKafkaBroker broker = new LocalKafkaBroker(server, logDir, port, controllerPort);
            broker.awaitReady(DEFAULT_TIMEOUT);
            LOG.info(
                    "Kafka broker on {}:{} (controller {}) ready in {} ms",
                    HOST,
                    port,
                    controllerPort,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
            return broker;
        } catch (Exception e) {
            server.shutdown();
            server.awaitShutdown();
            throw e;
        }
    }

    /** The broker properties: everything bound to 127.0.0.1, replication factors of 1. */
    static Properties brokerProperties(Path logDir, int port, int controllerPort) {
        Properties p = new Properties();
        p.setProperty("process.roles", "broker,controller");
        p.setProperty("node.id", "1");
        p.setProperty("controller.quorum.voters", "1@" + HOST + ":" + controllerPort);
        p.setProperty(
                "listeners",
                "PLAINTEXT://"
                        + HOST
                        + ":"
                        + port
                        + ",CONTROLLER://"
                        + HOST
                        + ":"
                        + controllerPort);
        p.setProperty("advertised.listeners", "PLAINTEXT://" + HOST + ":" + port);
        p.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.setProperty("controller.listener.names", "CONTROLLER");
        p.setProperty("inter.broker.listener.name", "PLAINTEXT");
        p.setProperty("log.dirs", logDir.toString());
        p.setProperty("num.partitions", "1");
        p.setProperty("offsets.topic.replication.factor", "1");
        p.setProperty("offsets.topic.num.partitions", "1");
        p.setProperty("transaction.state.log.replication.factor", "1");
        p.setProperty("transaction.state.log.min.isr", "1");
        p.setProperty("transaction.state.log.num.partitions", "1");
        p.setProperty("share.coordinator.state.topic.replication.factor", "1");
        p.setProperty("share.coordinator.state.topic.min.isr", "1");
        p.setProperty("group.initial.rebalance.delay.ms", "0");
        // Room for inline images up to the default 8 MiB limit plus the event's other fields.
        p.setProperty("message.max.bytes", String.valueOf(16 << 20));
        p.setProperty("auto.create.topics.enable", "false");
        return p;
    }

    /** {@code 127.0.0.1:<port>}. */
    public String bootstrapServers() {
        return HOST + ":" + port;
    }

    /** The PLAINTEXT (client) port. */
    public int port() {
        return port;
    }

    /** The CONTROLLER port. */
    public int controllerPort() {
        return controllerPort;
    }

    /** Client properties pointing at this broker. */
    public Properties clientProperties() {
        Properties p = new Properties();
        p.setProperty(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        return p;
    }

    /** Creates a topic with replication factor 1 and waits until it exists. */
    public void createTopic(String name, int partitions) throws Exception {
        try (Admin admin = Admin.create(clientProperties())) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1)))
                    .all()
                    .get(DEFAULT_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        }
    }

    /** Produces one record (acks=all) and returns where it landed. */
    public RecordMetadata produce(String topic, byte[] key, byte[] value) throws Exception {
        return produce(List.of(new ProducerRecord<>(topic, key, value))).get(0);
    }

    /** Produces records in order (acks=all, idempotent) and returns where each landed. */
    public List<RecordMetadata> produce(List<ProducerRecord<byte[], byte[]>> records)
            throws Exception {
        Properties p = clientProperties();
        p.setProperty(ProducerConfig.ACKS_CONFIG, "all");
        p.setProperty(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.setProperty(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, String.valueOf(16 << 20));
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            List<java.util.concurrent.Future<RecordMetadata>> sent =
                    new ArrayList<>(records.size());
            for (ProducerRecord<byte[], byte[]> record : records) {
                sent.add(producer.send(record));
            }
            producer.flush();
            List<RecordMetadata> metadata = new ArrayList<>(sent.size());
            for (java.util.concurrent.Future<RecordMetadata> future : sent) {
                metadata.add(future.get(DEFAULT_TIMEOUT.toSeconds(), TimeUnit.SECONDS));
            }
            return metadata;
        }
    }

    /**
     * Every committed record of {@code topic} from the beginning up to the current end
     * (read_committed: records of open or aborted transactions are not returned).
     */
    public List<ConsumerRecord<byte[], byte[]>> consumeAll(String topic) throws Exception {
        try (KafkaConsumer<byte[], byte[]> consumer = readCommittedConsumer()) {
            List<TopicPartition> partitions =
                    consumer.partitionsFor(topic, DEFAULT_TIMEOUT).stream()
                            .map(info -> new TopicPartition(topic, info.partition()))
                            .collect(Collectors.toList());
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, DEFAULT_TIMEOUT);
            return pollUntil(consumer, end, Integer.MAX_VALUE, DEFAULT_TIMEOUT);
        }
    }

    /**
     * Polls {@code topic} from the beginning (read_committed) until at least {@code count} records
     * have arrived; fails with a {@link TimeoutException} naming the count seen otherwise.
     */
    public List<ConsumerRecord<byte[], byte[]>> consumeAtLeast(
            String topic, int count, Duration timeout) throws Exception {
        try (KafkaConsumer<byte[], byte[]> consumer = readCommittedConsumer()) {
            List<TopicPartition> partitions =
                    consumer.partitionsFor(topic, DEFAULT_TIMEOUT).stream()
                            .map(info -> new TopicPartition(topic, info.partition()))
                            .collect(Collectors.toList());
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            return pollUntil(consumer, Map.of(), count, timeout);
        }
    }

    private static List<ConsumerRecord<byte[], byte[]>> pollUntil(
            KafkaConsumer<byte[], byte[]> consumer,
            Map<TopicPartition, Long> endOffsets,
            int count,
            Duration timeout)
            throws TimeoutException {
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!reached(consumer, endOffsets, records.size(), count)) {
            if (System.nanoTime() > deadline) {
                throw new TimeoutException(
                        "read "
                                + records.size()
                                + " records, expected "
                                + (endOffsets.isEmpty() ? count : "up to offsets " + endOffsets)
                                + " within "
                                + timeout);
            }
            consumer.poll(Duration.ofMillis(100)).forEach(records::add);
        }
        return records;
    }

    private static boolean reached(
            KafkaConsumer<byte[], byte[]> consumer,
            Map<TopicPartition, Long> endOffsets,
            int seen,
            int count) {
        if (!endOffsets.isEmpty()) {
            return endOffsets.entrySet().stream()
                    .allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
        }
        return seen >= count;
    }

    private KafkaConsumer<byte[], byte[]> readCommittedConsumer() {
        Properties p = clientProperties();
        p.setProperty(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.setProperty(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.setProperty(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, String.valueOf(16 << 20));
        return new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private void awaitReady(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try (Admin admin = Admin.create(clientProperties())) {
                admin.describeCluster().nodes().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                return;
            } catch (ExecutionException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
            }
        }
    }

    /** Shuts the broker down and deletes its log directory. */
    @Override
    public void close() throws IOException {
        try {
            server.shutdown();
            server.awaitShutdown();
        } finally {
            deleteRecursively(logDir);
        }
    }

    /** The temporary log directory (deleted on close). */
    public Path logDir() {
        return logDir;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }

    /** True when a TCP connection to {@code address:port} succeeds within one second. */
    public static boolean canConnect(InetAddress address, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).collect(Collectors.toList())) {
                Files.deleteIfExists(path);
            }
        }
    }
}
