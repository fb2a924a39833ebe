package dev.eveflink.job;

import dev.eveflink.operators.avro.DeadLetter;
import dev.eveflink.operators.avro.InferenceResult;
import dev.eveflink.operators.avro.ResultStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.flink.api.common.functions.MapFunction;

/**
 * A non-OK result as a dead letter, so the dead-letter topic alone lists every input that did not
 * get an answer. Keyed by the request id (as the producer keys its events); the value is the
 * serialized result, which carries the error; there is no source offset at this point (-1).
 */
public final class ResultDeadLetters implements MapFunction<InferenceResult, DeadLetter> {
    private static final long serialVersionUID = 1L;
    private final String resultsTopic;

    public ResultDeadLetters(String resultsTopic) {
        this.resultsTopic = resultsTopic;
    }

    public static boolean isFailure(InferenceResult result) {
        return result.getStatus() != ResultStatus.OK;
    }

    @Override
    public DeadLetter map(InferenceResult result) {
        ByteBuffer value;
        try {
            value = result.toByteBuffer();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode result " + result.getId(), e);
        }
        String code = result.getError() != null ? result.getError().getCode() : result.getStatus().name();
        String message = result.getError() != null ? result.getError().getMessage() : result.getStatus().name();
        return DeadLetter.newBuilder()
                .setKey(ByteBuffer.wrap(result.getId().getBytes(StandardCharsets.UTF_8)))
                .setValue(value)
                .setTopic(resultsTopic)
                .setPartition(-1)
                .setOffset(-1L)
                .setErrorCode(code)
                .setErrorMessage(message)
                .setFailedAt(Instant.now())
                .build();
    }
}
