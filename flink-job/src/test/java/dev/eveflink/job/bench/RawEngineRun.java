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
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The engine alone, as the operator would drive it but without Flink or Kafka: the same engine
 * (built by the operator's {@link EveEngineFactory} from the operator's {@link InferenceOptions}, so
 * the same model, max batch and max wait), the same event-to-request mapping ({@link EventMapper}: a
 * moderation event is one request per policy), and at most {@code capacity} events in flight, as the
 * async operator allows. Closed loop: a new event is submitted as soon as one completes.
 */
final class RawEngineRun {
    /** What one run measured. */
    record Result(double eventsPerSecond, int events, int notOk) {}

    private RawEngineRun() {}

    /** Submits events for {@code duration}, then waits for the last ones; the rate excludes start and drain. */
    static Result run(InferenceOptions options, BenchEvents mix, Duration duration) throws Exception {
        EventMapper mapper = new EventMapper(options);
        Semaphore inFlight = new Semaphore(options.capacity());
        ConcurrentLinkedQueue<Long> completions = new ConcurrentLinkedQueue<>();
        AtomicInteger notOk = new AtomicInteger();
        List<CompletableFuture<Void>> all = new ArrayList<>();
        try (CloseableInferenceService engine = new EveEngineFactory().load(options.engineKey("cpu"))) {
            long end = System.nanoTime() + duration.toNanos();
            for (int i = 0; System.nanoTime() < end; i++) {
                inFlight.acquire();
                ImageEvent event = mix.event("raw-" + i, i);
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
        }
        long[] times = completions.stream().mapToLong(Long::longValue).toArray();
        return new Result(SteadyRate.perSecond(times, 0.1, 0.9), times.length, notOk.get());
    }
}
