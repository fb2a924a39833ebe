package dev.eveflink.model.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EnginePoolTest {

    private static final EngineKey GPU0 = EngineKey.of("gpu(0)", Path.of("/models/eve"));
    private static final EngineKey GPU1 = EngineKey.of("gpu(1)", Path.of("/models/eve"));

    private final EnginePool pool = new EnginePool();
    private final ExecutorService threads = Executors.newCachedThreadPool();

    @AfterEach
    void stopThreads() {
        threads.shutdownNow();
    }

    @Test
    void concurrentLeasesOfOneKeyShareOneLoad() throws Exception {
        int callers = 16;
        CountDownLatch arrived = new CountDownLatch(callers);
        // The load finishes only after every caller has arrived, so all of them overlap it.
        CountingLoader loader = new CountingLoader(key -> arrived.await());
        CyclicBarrier start = new CyclicBarrier(callers);
        List<Future<EngineLease>> leases = new ArrayList<>();
        for (int i = 0; i < callers; i++) {
            leases.add(
                    threads.submit(
                            () -> {
                                start.await();
                                arrived.countDown();
                                return pool.lease(GPU0, loader);
                            }));
        }
        List<EngineLease> held = new ArrayList<>();
        for (Future<EngineLease> lease : leases) {
            held.add(lease.get(30, TimeUnit.SECONDS));
        }

        assertThat(loader.loads.get()).isEqualTo(1);
        assertThat(pool.activeLeases(GPU0)).isEqualTo(callers);
        assertThat(held).extracting(EngineLease::service).containsOnly(loader.services.get(0));

        CyclicBarrier closeTogether = new CyclicBarrier(callers);
        List<Future<?>> closes = new ArrayList<>();
        for (EngineLease lease : held) {
            closes.add(
                    threads.submit(
                            () -> {
                                closeTogether.await();
                                lease.close();
                                return null;
                            }));
        }
        for (Future<?> close : closes) {
            close.get(30, TimeUnit.SECONDS);
        }
        assertThat(loader.closes.get()).isEqualTo(1);
        assertThat(pool.activeLeases(GPU0)).isZero();
    }

    @Test
    void lastLeaseClosesTheEngineBeforeCloseReturns() throws Exception {
        CountingLoader loader = new CountingLoader(key -> {});
        EngineLease first = pool.lease(GPU0, loader);
        EngineLease second = pool.lease(GPU0, loader);

        first.close();
        assertThat(loader.closes.get()).isZero();
        assertThat(pool.activeLeases(GPU0)).isEqualTo(1);

        second.close();
        assertThat(loader.closes.get()).isEqualTo(1);
        assertThat(loader.services.get(0).closed).isTrue();
        assertThat(pool.activeLeases(GPU0)).isZero();
    }

    @Test
    void closingALeaseTwiceIsHarmless() throws Exception {
        CountingLoader loader = new CountingLoader(key -> {});
        EngineLease first = pool.lease(GPU0, loader);
        EngineLease second = pool.lease(GPU0, loader);

        first.close();
        first.close();

        assertThat(pool.activeLeases(GPU0)).isEqualTo(1);
        assertThat(loader.closes.get()).isZero();
        assertThat(second.service().device()).isEqualTo("gpu(0)");
        assertThatThrownBy(first::service)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("gpu(0)");
        second.close();
        second.close();
        assertThat(loader.closes.get()).isEqualTo(1);
    }

    @Test
    void distinctKeysGetDistinctEngines() throws Exception {
        CountingLoader loader = new CountingLoader(key -> {});
        try (EngineLease a = pool.lease(GPU0, loader);
                EngineLease b = pool.lease(GPU1, loader)) {
            assertThat(a.service()).isNotSameAs(b.service());
            assertThat(a.service().device()).isEqualTo("gpu(0)");
            assertThat(b.service().device()).isEqualTo("gpu(1)");
            assertThat(pool.activeLeases(GPU0)).isEqualTo(1);
            assertThat(pool.activeLeases(GPU1)).isEqualTo(1);
        }
        assertThat(loader.loads.get()).isEqualTo(2);
        assertThat(loader.closes.get()).isEqualTo(2);
    }

    @Test
    void keysWithEqualOptionsShareAnEngine() throws Exception {
        CountingLoader loader = new CountingLoader(key -> {});
        EngineKey one = new EngineKey("gpu(0)", Path.of("/models/../models/eve"), Map.of("a", "1"));
        EngineKey same = new EngineKey("gpu(0)", Path.of("/models/eve"), Map.of("a", "1"));
        EngineKey other = new EngineKey("gpu(0)", Path.of("/models/eve"), Map.of("a", "2"));
        try (EngineLease a = pool.lease(one, loader);
                EngineLease b = pool.lease(same, loader);
                EngineLease c = pool.lease(other, loader)) {
            assertThat(a.service()).isSameAs(b.service()).isNotSameAs(c.service());
        }
        assertThat(loader.loads.get()).isEqualTo(2);
    }

    @Test
    void loadsOfDifferentKeysRunInParallel() throws Exception {
        CountDownLatch gpu1Loaded = new CountDownLatch(1);
        // gpu(0) finishes loading only after gpu(1) has loaded: a pool-wide lock would deadlock.
        CountingLoader loader =
                new CountingLoader(
                        key -> {
                            if (key.equals(GPU0)) {
                                gpu1Loaded.await();
                            } else {
                                gpu1Loaded.countDown();
                            }
                        });
        Future<EngineLease> a = threads.submit(() -> pool.lease(GPU0, loader));
        Future<EngineLease> b = threads.submit(() -> pool.lease(GPU1, loader));
        a.get(30, TimeUnit.SECONDS).close();
        b.get(30, TimeUnit.SECONDS).close();
        assertThat(loader.loads.get()).isEqualTo(2);
    }

    @Test
    void aFailedLoadReachesEveryWaiterAndTheNextLeaseLoadsAgain() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        CountingLoader loader =
                new CountingLoader(
                        key -> {
                            if (attempts.incrementAndGet() == 1) {
                                throw new IllegalStateException("CUDA out of memory");
                            }
                        });
        assertThatThrownBy(() -> pool.lease(GPU0, loader))
                .isInstanceOf(EngineLoadException.class)
                .hasMessageContaining("gpu(0)")
                .hasMessageContaining("CUDA out of memory");
        assertThat(pool.activeLeases(GPU0)).isZero();

        try (EngineLease lease = pool.lease(GPU0, loader)) {
            assertThat(lease.service().device()).isEqualTo("gpu(0)");
        }
        assertThat(attempts.get()).isEqualTo(2);
        assertThat(loader.closes.get()).isEqualTo(1);
    }

    @Test
    void leasingAfterTheLastCloseLoadsAFreshEngineOnlyAfterTheOldOneClosed() throws Exception {
        CountDownLatch closeStarted = new CountDownLatch(1);
        CountDownLatch finishClose = new CountDownLatch(1);
        CountingLoader loader = new CountingLoader(key -> {});
        loader.onClose =
                () -> {
                    closeStarted.countDown();
                    finishClose.await();
                };
        EngineLease first = pool.lease(GPU0, loader);
        Future<?> closing = threads.submit(() -> first.close());
        closeStarted.await();

        Future<EngineLease> second = threads.submit(() -> pool.lease(GPU0, loader));
        finishClose.countDown();
        closing.get(30, TimeUnit.SECONDS);
        try (EngineLease lease = second.get(30, TimeUnit.SECONDS)) {
            assertThat(lease.service()).isNotSameAs(loader.services.get(0));
        }
        assertThat(loader.events).containsExactly("load", "close", "load", "close");
    }

    @Test
    void theSharedPoolIsOneInstance() {
        assertThat(EnginePool.shared()).isSameAs(EnginePool.shared());
    }

    /** Something a fake load or close runs, e.g. waiting on a latch. */
    private interface Step<T> {
        void run(T arg) throws Exception;
    }

    /** Something a fake close runs. */
    private interface Action {
        void run() throws Exception;
    }

    /** An engine loader that counts loads and closes and records their order. */
    private static final class CountingLoader implements EngineLoader {
        final AtomicInteger loads = new AtomicInteger();
        final AtomicInteger closes = new AtomicInteger();
        final List<FakeService> services = Collections.synchronizedList(new ArrayList<>());
        final List<String> events = Collections.synchronizedList(new ArrayList<>());
        private final Step<EngineKey> onLoad;
        volatile Action onClose = () -> {};

        CountingLoader(Step<EngineKey> onLoad) {
            this.onLoad = onLoad;
        }

        @Override
        public CloseableInferenceService load(EngineKey key) throws Exception {
            onLoad.run(key);
            loads.incrementAndGet();
            events.add("load");
            FakeService service = new FakeService(key.device(), this);
            services.add(service);
            return service;
        }
    }

    /** A service that only knows its device and whether it was closed. */
    private static final class FakeService implements CloseableInferenceService {
        private final String device;
        private final CountingLoader loader;
        volatile boolean closed;

        FakeService(String device, CountingLoader loader) {
            this.device = device;
            this.loader = loader;
        }

        @Override
        public CompletableFuture<InferenceOutcome> submit(InferenceRequest request) {
            throw new UnsupportedOperationException("not needed");
        }

        @Override
        public EngineStats stats() {
            return new EngineStats(0, 0, 0, 1, 0, 0, 0);
        }

        @Override
        public String device() {
            return device;
        }

        @Override
        public void close() throws Exception {
            loader.onClose.run();
            loader.closes.incrementAndGet();
            loader.events.add("close");
            closed = true;
        }
    }
}
