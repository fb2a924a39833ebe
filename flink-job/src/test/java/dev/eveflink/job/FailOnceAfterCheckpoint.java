package dev.eveflink.job;

import dev.eveflink.operators.avro.ImageEvent;
import dev.eveflink.operators.avro.InferenceResult;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.streaming.api.functions.async.AsyncFunction;
import org.apache.flink.streaming.api.functions.async.ResultFuture;
import org.apache.flink.streaming.api.functions.async.RichAsyncFunction;

/**
 * Wraps the inference function and fails the task once, on the first request after a checkpoint has
 * completed (so the restore has something to restore). The flag is JVM-wide on purpose: the
 * MiniCluster restarts the task in the same JVM and the failure must not repeat.
 */
final class FailOnceAfterCheckpoint extends RichAsyncFunction<ImageEvent, InferenceResult>
        implements CheckpointListener {
    private static final long serialVersionUID = 1L;
    static final AtomicBoolean FAILED = new AtomicBoolean();
    private static final AtomicBoolean CHECKPOINTED = new AtomicBoolean();

    private final RichAsyncFunction<ImageEvent, InferenceResult> inner;

    @SuppressWarnings("unchecked")
    FailOnceAfterCheckpoint(AsyncFunction<ImageEvent, InferenceResult> inner) {
        this.inner = (RichAsyncFunction<ImageEvent, InferenceResult>) inner;
    }

    static void reset() {
        FAILED.set(false);
        CHECKPOINTED.set(false);
    }

    @Override
    public void setRuntimeContext(RuntimeContext context) {
        super.setRuntimeContext(context);
        inner.setRuntimeContext(context);
    }

    @Override
    public void open(OpenContext openContext) throws Exception {
        inner.open(openContext);
    }

    @Override
    public void close() throws Exception {
        inner.close();
    }

    @Override
    public void asyncInvoke(ImageEvent input, ResultFuture<InferenceResult> resultFuture) throws Exception {
        if (CHECKPOINTED.get() && FAILED.compareAndSet(false, true)) {
            throw new IllegalStateException("injected failure after a completed checkpoint");
        }
        inner.asyncInvoke(input, resultFuture);
    }

    @Override
    public void timeout(ImageEvent input, ResultFuture<InferenceResult> resultFuture) throws Exception {
        inner.timeout(input, resultFuture);
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) {
        CHECKPOINTED.set(true);
    }
}
