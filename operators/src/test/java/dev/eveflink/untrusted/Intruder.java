package dev.eveflink.untrusted;

import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * A generated-style Avro record outside the trusted package {@code dev.eveflink.operators.avro}:
 * Avro must refuse to instantiate it.
 */
public class Intruder extends SpecificRecordBase {

    public static final Schema SCHEMA$ =
            new Schema.Parser()
                    .parse(
                            "{\"type\":\"record\",\"name\":\"Intruder\",\"namespace\":\"dev.eveflink.untrusted\","
                                + "\"fields\":[{\"name\":\"payload\",\"type\":\"string\"}]}");

    private String payload;

    @Override
    public Schema getSchema() {
        return SCHEMA$;
    }

    @Override
    public Object get(int field) {
        return payload;
    }

    @Override
    public void put(int field, Object value) {
        payload = value == null ? null : value.toString();
    }
}
