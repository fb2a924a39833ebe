package dev.eveflink.operators.serde;

import dev.eveflink.operators.avro.ImageEvent;
import dev.eveflink.operators.avro.IngestEnvelope;
import dev.eveflink.operators.errors.EventError;
import dev.eveflink.operators.errors.Outcome;

import org.apache.avro.Schema;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Reads {@link ImageEvent}s (Avro single-object encoding) from Kafka and never throws on bad bytes.
 *
 * <p>Every record yields exactly one {@link IngestEnvelope}: the decoded event, or a dead letter
 * that keeps the original key and value bytes with topic, partition and offset. Split them with
 * {@link DeadLetterSplitFunction}. Minimal use:
 *
 * <pre>{@code
 * KafkaSource<IngestEnvelope> source = KafkaSource.<IngestEnvelope>builder()
 *         .setBootstrapServers(servers)
 *         .setTopics("vlm.requests")
 *         .setDeserializer(new ImageEventDeserializer())
 *         .build();
 * }</pre>
 *
 * <p>Records written with an older ImageEvent schema are resolved into today's class when that
 * schema is registered with {@link #withOlderWriterSchemas}; the single-object header carries the
 * writer schema's fingerprint.
 */
public final class ImageEventDeserializer
        implements KafkaRecordDeserializationSchema<IngestEnvelope> {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ImageEventDeserializer.class);

    /** Older ImageEvent writer schemas (JSON, because Schema is not reliably serializable). */
    private final List<String> olderWriterSchemas;

    /** Stamps {@code DeadLetter.failedAt}. */
    private final Clock clock;

    /** Built lazily on the task thread; Avro decoders are not serializable. */
    private transient SingleObjectDecoder<ImageEvent> decoder;

    /** A deserializer that knows only today's ImageEvent schema and stamps with the UTC clock. */
    public ImageEventDeserializer() {
        this(List.of(), Clock.systemUTC());
    }

    private ImageEventDeserializer(List<String> olderWriterSchemas, Clock clock) {
        this.olderWriterSchemas = List.copyOf(olderWriterSchemas);
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** A copy that also decodes records written with the given older ImageEvent schemas. */
    public ImageEventDeserializer withOlderWriterSchemas(Schema... schemas) {
        List<String> all = new ArrayList<>(olderWriterSchemas);
        for (Schema schema : schemas) {
            all.add(schema.toString());
        }
        return new ImageEventDeserializer(all, clock);
    }

    /** A copy that stamps dead letters with the given clock (tests). */
    public ImageEventDeserializer withClock(Clock clock) {
        return new ImageEventDeserializer(olderWriterSchemas, clock);
    }

    @Override
    public void open(DeserializationSchema.InitializationContext context) {
        decoder();
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<IngestEnvelope> out) {
        Outcome<ImageEvent> decoded = decoder().decode(record.value());
        if (decoded.isOk()) {
            out.collect(IngestEnvelopes.ofEvent(decoded.value()));
            return;
        }
        EventError error = decoded.error();
        LOG.debug(
                "Dead-lettering {}-{}@{}: {} {}",
                record.topic(),
                record.partition(),
                record.offset(),
                error.code(),
                error.message());
        out.collect(
                IngestEnvelopes.ofDeadLetter(
                        IngestEnvelopes.deadLetterOf(record, error, clock.instant())));
    }

    @Override
    public TypeInformation<IngestEnvelope> getProducedType() {
        return new AvroTypeInfo<>(IngestEnvelope.class);
    }

    private SingleObjectDecoder<ImageEvent> decoder() {
        if (decoder == null) {
            List<Schema> older = new ArrayList<>();
            for (String json : olderWriterSchemas) {
                older.add(new Schema.Parser().parse(json));
            }
            decoder = new SingleObjectDecoder<>(ImageEvent.class, older);
        }
        return decoder;
    }
}
