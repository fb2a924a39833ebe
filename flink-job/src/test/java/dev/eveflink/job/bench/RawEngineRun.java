package dev.eveflink.job.bench;

import dev.eveflink.model.engine.CloseableInferenceService;
import dev.eveflink.model.engine.InferenceOutcome;
import dev.eveflink.model.engine.InferenceRequest;
import dev.eveflink.model.engine.OutcomeStatus;
import dev.eveflink.operators.avro.ImageEvent;
import dev.eveflink.operators.errors.Outcome;
import dev.eveflink.operators.inference.EveEngineFactory;
import dev.eveflink.operators.inference.EventMapper;
import dev.eveflink.operators.inference.InferenceOptions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The engine alone, as the operator drives it but without Flink or Kafka: the same engine (built by
 * the operator's {@link EveEngineFactory} from the operator's {@link InferenceOptions}: same model,
 * max batch and max wait), the same event-to-request mapping ({@link EventMapper}: a moderation event
 * is one request per policy), and at most {@code capacity} events in flight, as the async operator
 * allows. Closed loop: a new event is submitted as soon as one completes.
 */
final class RawEngineRun implements AutoCloseable {
    private final InferenceOptions options;
    private final CloseableInferenceService engine;
    private final EventMapper mapper;

    RawEngineRun(InferenceOptions options) {
        this.options = options;
        this.engine = new EveEngineFactory().load(options.engineKey("cpu"));
        this.mapper = new EventMapper(options);
    }

    /**
     * Keeps {@code capacity} events in flight for {@code length}; counts the completions after the
     * first fifth (batches filling), until submission stops.
     */
    Measured burst(BenchEvents mix, String prefix, Duration length) throws Exception {
        Semaphore inFlight = new Semaphore(options.capacity());
        ConcurrentLinkedQueue<Long> completions = new ConcurrentLinkedQueue<>();
        AtomicInteger notOk = new AtomicInteger();
        List<CompletableFuture<Void>> all = new ArrayList<>();
        long start = System.nanoTime();
        long measureFrom = start + length.toNanos() / 5;
        long end = start + length.toNanos();
        for (int i = 0; System.nanoTime() < end; i++) {
            inFlight.acquire();
            ImageEvent event = mix.event(prefix + "-" + i, i);
            Outcome<EventMapper.Requests> mapped = mapper.toRequests(event, Instant.now());
            if (!mapped.isOk()) {
                throw new IllegalStateException("the benchmark's event " + event.getId() + " is invalid: "
                        + mapped.error());
            }
            List<CompletableFuture<InferenceOutcome>> answers = new ArrayList<>();
            for (InferenceRequest request : mapped.value().requests()) {
                answers.add(engine.submit(request));
            }
            all.add(CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).whenComplete((v, e) -> {
                completions.add(System.nanoTime());
                if (e != null || answers.stream().anyMatch(a -> a.join().status() != OutcomeStatus.OK)) {
                    notOk.incrementAndGet();
                }
                inFlight.release();
            }));
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(5, TimeUnit.MINUTES);
        long[] times = completions.stream().mapToLong(Long::longValue).toArray();
        int counted = (int) Arrays.stream(times).filter(t -> t >= measureFrom && t < end).count();
        return new Measured(SteadyRate.inWindow(times, measureFrom, end), counted, notOk.get());
    }

    @Override
    public void close() throws Exception {
        engine.close();
    }
}
