package dev.eveflink.job.bench;

import dev.eveflink.operators.avro.InferenceResult;
import dev.eveflink.operators.avro.ResultStatus;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads the results topic on its own thread and notes when each result id was first seen. It reads
 * {@code read_uncommitted}: a result counts when it is in the topic's log, not when the sink's
 * transaction commits at the next checkpoint (the commit delay is the checkpoint interval, a setting,
 * and the same for every operator).
 */
final class ResultWatcher implements AutoCloseable {
    /** One result as first seen. */
    /** @param schedulerWaitMillis queueWaitMillis less the preparation on the engine's CPU pool */
    record Seen(long nanos, ResultStatus status, long schedulerWaitMillis) {}

    /** How often a waiting caller asks whether the job is still running (an RPC). */
    private static final long JOB_CHECK_NANOS = 2_000_000_000L;

    private final Map<String, Seen> seen = new ConcurrentHashMap<>();
    /** Notified after every poll that brought results. */
    private final Object arrivals = new Object();
    private final Thread thread;
    private volatile boolean closing;
    private volatile Throwable failure;

    ResultWatcher(String bootstrap, String topic) {
        Properties p = new Properties();
        p.setProperty(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.setProperty(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
        p.setProperty(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.setProperty(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "20");
        thread = new Thread(() -> run(p, topic), "bench-result-watcher");
        thread.setDaemon(true);
        thread.start();
    }

    private void run(Properties props, String topic) {
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            while (!closing) {
                var records = consumer.poll(Duration.ofMillis(50));
                for (ConsumerRecord<byte[], byte[]> record : records) {
                    long now = System.nanoTime();
                    InferenceResult result = InferenceResult.fromByteBuffer(ByteBuffer.wrap(record.value()));
                    seen.putIfAbsent(result.getId(), new Seen(now, result.getStatus(),
                            result.getQueueWaitMillis() - result.getPreprocessMillis()));
                }
                if (!records.isEmpty()) {
                    synchronized (arrivals) {
                        arrivals.notifyAll();
                    }
                }
            }
        } catch (Throwable t) {
            failure = t;
        }
    }

    /** Results seen so far that match {@code filter}. */
    int count(java.util.function.Predicate<Seen> filter) {
        return (int) seen.values().stream().filter(filter).count();
    }

    /** The result of {@code id}, or null while none was seen. */
    Seen get(String id) {
        return seen.get(id);
    }

    /**
     * Waits until every id has a result; fails when no new one arrived for {@code stall}
     * ({@link TimeoutException}), or when {@code jobFailed} says the job is gone.
     */
    Map<String, Seen> awaitAll(Collection<String> ids, Duration stall, BooleanSupplier jobFailed)
            throws TimeoutException {
        long lastProgress = System.nanoTime();
        long lastJobCheck = lastProgress;
        int lastCount = -1;
        while (true) {
            checkAlive();
            int count = 0;
            for (String id : ids) {
                if (seen.containsKey(id)) {
                    count++;
                }
            }
            if (count == ids.size()) {
                Map<String, Seen> out = new ConcurrentHashMap<>();
                ids.forEach(id -> out.put(id, seen.get(id)));
                return out;
            }
            long now = System.nanoTime();
            if (count != lastCount) {
                lastCount = count;
                lastProgress = now;
            } else if (now - lastProgress > stall.toNanos()) {
                throw new TimeoutException(count + "/" + ids.size() + " results, none new for "
                        + Duration.ofNanos(now - lastProgress).toSeconds() + " s");
            }
            if (now - lastJobCheck > JOB_CHECK_NANOS) {
                lastJobCheck = now;
                if (jobFailed.getAsBoolean()) {
                    throw new IllegalStateException("the job ended with " + count + "/" + ids.size() + " results");
                }
            }
            LockSupport.parkNanos(20_000_000L);
        }
    }

    /**
     * Waits for one id, woken by the watcher when results arrive (no polling loop that would take CPU
     * from the pipeline; the result's time is the watcher's anyway).
     */
    Seen awaitOne(String id, Duration timeout) throws TimeoutException, InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        synchronized (arrivals) {
            Seen s;
            while ((s = seen.get(id)) == null) {
                checkAlive();
                long left = end - System.nanoTime();
                if (left <= 0) {
                    throw new TimeoutException("no result for " + id + " within " + timeout);
                }
                arrivals.wait(Math.max(1, Math.min(100, left / 1_000_000)));
            }
            return s;
        }
    }

    private void checkAlive() {
        if (failure != null) {
            throw new IllegalStateException("the result watcher failed: " + failure, failure);
        }
    }

    @Override
    public void close() throws InterruptedException {
        closing = true;
        thread.join(10_000);
    }
}
