package dev.eveflink.smoke;

import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * A one-field Avro specific record, written by hand (no code generator in a script), so that the
 * smoke job's records travel between TaskManager threads through flink-avro's AvroSerializer,
 * which exercises the parent-first Avro in lib/ and the trusted-packages property.
 */
public final class SmokeEvent extends SpecificRecordBase {
    public static final Schema SCHEMA$ =
            new Schema.Parser()
                    .parse(
                            "{\"type\":\"record\",\"name\":\"SmokeEvent\",\"namespace\":\"dev.eveflink.smoke\","
                                    + "\"fields\":[{\"name\":\"value\",\"type\":\"long\"}]}");

    /** Public (with getter and setter) because flink-avro's AvroTypeInfo analyses the class as a POJO. */
    public long value;

    /** For Avro, which creates records reflectively. */
    public SmokeEvent() {}

    public SmokeEvent(long value) {
        this.value = value;
    }

    public long getValue() {
        return value;
    }

    public void setValue(long value) {
        this.value = value;
    }

    @Override
    public Schema getSchema() {
        return SCHEMA$;
    }

    @Override
    public Object get(int field) {
        if (field != 0) {
            throw new IndexOutOfBoundsException("SmokeEvent has one field, not " + field);
        }
        return value;
    }

    @Override
    public void put(int field, Object fieldValue) {
        if (field != 0) {
            throw new IndexOutOfBoundsException("SmokeEvent has one field, not " + field);
        }
        value = (Long) fieldValue;
    }
}
