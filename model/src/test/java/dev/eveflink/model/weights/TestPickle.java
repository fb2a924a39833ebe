package dev.eveflink.model.weights;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Test helper: writes pickle opcodes by hand, so tests control every byte the unpickler sees. */
final class TestPickle {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    TestPickle op(int opcode) {
        out.write(opcode);
        return this;
    }

    TestPickle proto(int version) {
        return op(0x80).op(version);
    }

    TestPickle mark() {
        return op('(');
    }

    TestPickle global(String module, String name) {
        op('c');
        out.writeBytes((module + "\n" + name + "\n").getBytes(StandardCharsets.US_ASCII));
        return this;
    }

    TestPickle string(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        op('X');
        writeIntLe(b.length);
        out.writeBytes(b);
        return this;
    }

    TestPickle integer(long v) {
        if (v >= 0 && v < 256) {
            return op('K').op((int) v);
        }
        if (v >= 0 && v < 65536) {
            return op('M').op((int) (v & 0xFF)).op((int) (v >>> 8));
        }
        op('J');
        writeIntLe((int) v);
        return this;
    }

    TestPickle tuple(long... values) {
        mark();
        for (long v : values) {
            integer(v);
        }
        return op('t');
    }

    TestPickle emptyTuple() {
        return op(')');
    }

    TestPickle reduce() {
        return op('R');
    }

    TestPickle stop() {
        return op('.');
    }

    /** {@code OrderedDict()} on the stack. */
    TestPickle orderedDict() {
        return global("collections", "OrderedDict").emptyTuple().reduce();
    }

    /**
     * One state dict entry as torch writes it: name, then
     * {@code _rebuild_tensor_v2(persistent storage, offset, sizes, strides, False, OrderedDict())}.
     */
    TestPickle tensorEntry(String name, String storageClass, String key, long storageNumel, long offset,
            long[] sizes, long[] strides) {
        string(name);
        global("torch._utils", "_rebuild_tensor_v2");
        mark();
        mark().string("storage").global("torch", storageClass).string(key).string("cpu").integer(storageNumel).op('t');
        op('Q'); // BINPERSID
        integer(offset);
        tuple(sizes);
        tuple(strides);
        op(0x89); // NEWFALSE
        orderedDict();
        op('t');
        return reduce();
    }

    byte[] bytes() {
        return out.toByteArray();
    }

    private void writeIntLe(int v) {
        out.write(v & 0xFF);
        out.write((v >>> 8) & 0xFF);
        out.write((v >>> 16) & 0xFF);
        out.write((v >>> 24) & 0xFF);
    }
}
