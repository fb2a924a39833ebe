package dev.eveflink.operators.avro;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eveflink.operators.testutils.ImageEvents;
import dev.eveflink.untrusted.Intruder;

import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.util.ClassSecurityValidator;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;

/**
 * Avro 1.12 instantiates a generated class named by a schema only if its package is listed in
 * {@code org.apache.avro.SERIALIZABLE_PACKAGES} ({@code ClassSecurityValidator}); the parent pom
 * lists ours. This proves ours is trusted and any other package is still refused.
 */
class TrustedPackagesTest {

    @Test
    void ourPackageIsTheConfiguredTrustedPackage() {
        assertThat(System.getProperty("org.apache.avro.SERIALIZABLE_PACKAGES"))
                .isEqualTo("dev.eveflink.operators.avro");
        assertThatCode(() -> ClassSecurityValidator.validate(ImageEvent.class))
                .doesNotThrowAnyException();
    }

    @Test
    void ourGeneratedClassesDecode() throws Exception {
        ImageEvent event = ImageEvents.moderateFull("trusted");
        assertThat(ImageEvent.fromByteBuffer(event.toByteBuffer())).isEqualTo(event);
    }

    @Test
    void aGeneratedClassInAnotherPackageIsRefused() throws Exception {
        GenericRecord record = new GenericData.Record(Intruder.SCHEMA$);
        record.put("payload", "x");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(bytes, null);
        new GenericDatumWriter<GenericRecord>(Intruder.SCHEMA$).write(record, encoder);
        encoder.flush();

        assertThatThrownBy(
                        () ->
                                new SpecificDatumReader<Intruder>(Intruder.SCHEMA$)
                                        .read(
                                                null,
                                                DecoderFactory.get()
                                                        .binaryDecoder(bytes.toByteArray(), null)))
                .isInstanceOf(SecurityException.class)
                .hasMessageContaining("Forbidden dev.eveflink.untrusted.Intruder");
        assertThatThrownBy(() -> ClassSecurityValidator.validate(Intruder.class))
                .isInstanceOf(SecurityException.class);
    }
}
