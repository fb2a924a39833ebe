package dev.eveflink.model.weights;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the {@code data.pkl} of a {@code torch.save}d state dict WITHOUT executing anything.
 *
 * <p>This is not a general unpickler. It knows only the opcodes state dicts use and only the
 * globals they name ({@code collections.OrderedDict}, {@code torch._utils._rebuild_tensor_v2},
 * {@code torch._utils._rebuild_parameter} and the {@code torch.*Storage} types), each of which is
 * interpreted here as data, never looked up or called. Any other global (e.g. {@code os.system},
 * {@code builtins.eval}), any opcode that would instantiate a class ({@code INST}, {@code OBJ},
 * {@code NEWOBJ}), or any unknown opcode is refused with a {@link CheckpointException} at the point
 * it is read, before any later opcode is even looked at. Loading a checkpoint can therefore never
 * run code.
 */
final class StateDictUnpickler {
    private static final Object MARK = new Object() {
        @Override
        public String toString() {
            return "MARK";
        }
    };

    /** The callables a state dict may REDUCE, and the storage classes its persistent ids name. */
    private enum Global {
        ORDERED_DICT, REBUILD_TENSOR_V2, REBUILD_PARAMETER, STORAGE_TYPE
    }

    /** A resolved global: which one, and for storage types the class name. */
    private record GlobalRef(Global kind, String name) {}

    /** A pickled tuple (immutable sequence). */
    private record Tuple(List<Object> items) {}

    /** A persistent-id storage reference: {@code ('storage', type, key, location, numel)}. */
    private record StorageRef(String storageClass, String key, long numel) {}

    private final String source;
    private final ByteBuffer in;
    private final List<Object> stack = new ArrayList<>();
    private final List<Integer> marks = new ArrayList<>();
    private final Map<Long, Object> memo = new HashMap<>();

    private StateDictUnpickler(String source, byte[] pickle) {
        this.source = source;
        this.in = ByteBuffer.wrap(pickle).order(ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * Parses a state dict pickle into name -> tensor reference, in pickle order.
     *
     * @param source what to name in error messages (e.g. the zip and entry)
     */
    static Map<String, TorchTensorRef> read(String source, byte[] pickle) {
        return new StateDictUnpickler(source, pickle).run();
    }

    private Map<String, TorchTensorRef> run() {
        Object result;
        try {
            result = loop();
        } catch (java.nio.BufferUnderflowException e) {
            throw fail("pickle ends in the middle of an opcode");
        }
        if (!(result instanceof Map<?, ?> map)) {
            throw fail("top-level object is " + describe(result) + ", not a state dict");
        }
        Map<String, TorchTensorRef> tensors = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!(e.getKey() instanceof String name)) {
                throw fail("state dict key " + describe(e.getKey()) + " is not a string");
            }
            if (!(e.getValue() instanceof TorchTensorRef ref)) {
                throw fail("state dict entry '" + name + "' is " + describe(e.getValue()) + ", not a tensor");
            }
            tensors.put(name, ref);
        }
        return tensors;
    }

    private Object loop() {
        while (true) {
            int at = in.position();
            int op = in.get() & 0xFF;
            switch (op) {
                case 0x80 -> in.get(); // PROTO n
                case 0x95 -> in.getLong(); // FRAME length: frames are only a read-ahead hint
                case '.' -> { // STOP
                    if (stack.size() != 1) {
                        throw fail("STOP with " + stack.size() + " objects on the stack");
                    }
                    return stack.get(0);
                }
                case '(' -> marks.add(stack.size()); // MARK
                case '}' -> stack.add(new LinkedHashMap<>()); // EMPTY_DICT
                case ']' -> stack.add(new ArrayList<>()); // EMPTY_LIST
                case ')' -> stack.add(new Tuple(List.of())); // EMPTY_TUPLE
                case 't' -> stack.add(new Tuple(popToMark())); // TUPLE
                case 0x85 -> stack.add(new Tuple(popN(1))); // TUPLE1
                case 0x86 -> stack.add(new Tuple(popN(2))); // TUPLE2
                case 0x87 -> stack.add(new Tuple(popN(3))); // TUPLE3
                case 'X' -> stack.add(readString(in.getInt() & 0xFFFFFFFFL)); // BINUNICODE
                case 0x8C -> stack.add(readString(in.get() & 0xFF)); // SHORT_BINUNICODE
                case 0x8D -> stack.add(readString(in.getLong())); // BINUNICODE8
                case 'J' -> stack.add((long) in.getInt()); // BININT
                case 'K' -> stack.add((long) (in.get() & 0xFF)); // BININT1
                case 'M' -> stack.add((long) (in.getShort() & 0xFFFF)); // BININT2
                case 0x8A -> stack.add(readLong1()); // LONG1
                case 'G' -> stack.add(Double.longBitsToDouble(Long.reverseBytes(in.getLong()))); // BINFLOAT (big-endian)
                case 0x88 -> stack.add(Boolean.TRUE); // NEWTRUE
                case 0x89 -> stack.add(Boolean.FALSE); // NEWFALSE
                case 'N' -> stack.add(null); // NONE
                case 'q' -> memo.put((long) (in.get() & 0xFF), peek()); // BINPUT
                case 'r' -> memo.put(in.getInt() & 0xFFFFFFFFL, peek()); // LONG_BINPUT
                case 0x94 -> memo.put((long) memo.size(), peek()); // MEMOIZE
                case 'h' -> stack.add(memoGet(in.get() & 0xFF)); // BINGET
                case 'j' -> stack.add(memoGet(in.getInt() & 0xFFFFFFFFL)); // LONG_BINGET
                case 's' -> { // SETITEM
                    Object value = pop();
                    Object key = pop();
                    asMap(peek(), "SETITEM").put(key, value);
                }
                case 'u' -> { // SETITEMS
                    List<Object> items = popToMark();
                    if (items.size() % 2 != 0) {
                        throw fail("SETITEMS with an odd number of items");
                    }
                    Map<Object, Object> map = asMap(peek(), "SETITEMS");
                    for (int i = 0; i < items.size(); i += 2) {
                        map.put(items.get(i), items.get(i + 1));
                    }
                }
                case 'a' -> { // APPEND
                    Object value = pop();
                    asList(peek(), "APPEND").add(value);
                }
                case 'e' -> { // APPENDS
                    List<Object> items = popToMark();
                    asList(peek(), "APPENDS").addAll(items);
                }
                case 'c' -> stack.add(resolveGlobal(readLine(), readLine())); // GLOBAL
                case 0x93 -> { // STACK_GLOBAL
                    Object name = pop();
                    Object module = pop();
                    if (!(module instanceof String m) || !(name instanceof String n)) {
                        throw fail("STACK_GLOBAL operands are not strings");
                    }
                    stack.add(resolveGlobal(m, n));
                }
                case 'Q' -> stack.add(persistentLoad(pop())); // BINPERSID
                case 'R' -> { // REDUCE
                    Object args = pop();
                    Object callable = pop();
                    stack.add(reduce(callable, args));
                }
                case 'b' -> { // BUILD: only OrderedDict instance state (e.g. _metadata) is accepted, and ignored
                    Object state = pop();
                    Object target = peek();
                    if (!(target instanceof Map<?, ?>) || !(state == null || state instanceof Map<?, ?>)) {
                        throw fail("BUILD on " + describe(target) + " refused at byte " + at
                                + ": only a dict's attribute state is accepted");
                    }
                }
                case 'i', 'o', 0x81, 0x92 -> throw fail(String.format(
                        "opcode 0x%02x (%s) at byte %d would instantiate a class; refused", op, opName(op), at));
                default -> throw fail(String.format(
                        "unsupported pickle opcode 0x%02x (%s) at byte %d; refused", op, opName(op), at));
            }
        }
    }

    private static String opName(int op) {
        return switch (op) {
            case 'i' -> "INST";
            case 'o' -> "OBJ";
            case 0x81 -> "NEWOBJ";
            case 0x92 -> "NEWOBJ_EX";
            case 'P' -> "PERSID";
            case 'I' -> "INT";
            case 'L' -> "LONG";
            case 'S' -> "STRING";
            case 'V' -> "UNICODE";
            case 'F' -> "FLOAT";
            case 'p' -> "PUT";
            case 'g' -> "GET";
            case 'B', 'C', 0x8E -> "BINBYTES";
            case 0x82, 0x83, 0x84 -> "EXT";
            case 0x90, 0x91 -> "SET";
            case 0x96, 0x97, 0x98 -> "BYTEARRAY/BUFFER";
            default -> "?";
        };
    }

    /** Maps a module/name pair to the few globals a state dict may use; refuses everything else. */
    private GlobalRef resolveGlobal(String module, String name) {
        String qualified = module + "." + name;
        if (qualified.equals("collections.OrderedDict")) {
            return new GlobalRef(Global.ORDERED_DICT, qualified);
        }
        if (qualified.equals("torch._utils._rebuild_tensor_v2")) {
            return new GlobalRef(Global.REBUILD_TENSOR_V2, qualified);
        }
        if (qualified.equals("torch._utils._rebuild_parameter")) {
            return new GlobalRef(Global.REBUILD_PARAMETER, qualified);
        }
        if (module.equals("torch") && name.endsWith("Storage") && TensorDType.fromTorchStorage(name).isPresent()) {
            return new GlobalRef(Global.STORAGE_TYPE, name);
        }
        throw fail("global '" + qualified + "' is not allowed in a state dict; refused (loading never runs code)");
    }

    private Object reduce(Object callable, Object args) {
        if (!(callable instanceof GlobalRef g)) {
            throw fail("REDUCE on " + describe(callable) + " refused");
        }
        if (!(args instanceof Tuple t)) {
            throw fail("REDUCE of " + g.name() + " with non-tuple arguments");
        }
        List<Object> a = t.items();
        return switch (g.kind()) {
            case ORDERED_DICT -> orderedDict(a);
            case REBUILD_TENSOR_V2 -> rebuildTensor(a);
            case REBUILD_PARAMETER -> {
                if (a.isEmpty() || !(a.get(0) instanceof TorchTensorRef ref)) {
                    throw fail("_rebuild_parameter without a tensor argument");
                }
                yield ref;
            }
            case STORAGE_TYPE -> throw fail("calling storage type " + g.name() + " refused");
        };
    }

    private Map<Object, Object> orderedDict(List<Object> args) {
        Map<Object, Object> map = new LinkedHashMap<>();
        if (args.isEmpty()) {
            return map;
        }
        if (args.size() == 1 && args.get(0) instanceof List<?> pairs) {
            for (Object p : pairs) {
                List<Object> kv = p instanceof Tuple tp ? tp.items() : p instanceof List<?> l ? List.copyOf(l) : null;
                if (kv == null || kv.size() != 2) {
                    throw fail("OrderedDict item " + describe(p) + " is not a (key, value) pair");
                }
                map.put(kv.get(0), kv.get(1));
            }
            return map;
        }
        throw fail("OrderedDict called with " + args.size() + " unsupported arguments");
    }

    /** {@code _rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata])}. */
    private TorchTensorRef rebuildTensor(List<Object> a) {
        if (a.size() < 6 || a.size() > 7) {
            throw fail("_rebuild_tensor_v2 with " + a.size() + " arguments (expected 6 or 7)");
        }
        if (!(a.get(0) instanceof StorageRef storage)) {
            throw fail("_rebuild_tensor_v2: first argument is " + describe(a.get(0)) + ", not a storage");
        }
        long offset = asLong(a.get(1), "storage_offset");
        long[] sizes = longs(a.get(2), "size");
        long[] strides = longs(a.get(3), "stride");
        if (sizes.length != strides.length) {
            throw fail("_rebuild_tensor_v2: " + sizes.length + " sizes but " + strides.length + " strides");
        }
        for (int i = 0; i < sizes.length; i++) {
            if (sizes[i] < 0 || strides[i] < 0) {
                throw fail("_rebuild_tensor_v2: negative size or stride");
            }
        }
        if (offset < 0) {
            throw fail("_rebuild_tensor_v2: negative storage offset " + offset);
        }
        TensorDType dtype = TensorDType.fromTorchStorage(storage.storageClass()).orElse(null);
        return new TorchTensorRef(storage.key(), dtype, storage.storageClass(), storage.numel(), offset, sizes, strides);
    }

    private StorageRef persistentLoad(Object pid) {
        if (!(pid instanceof Tuple t) || t.items().size() != 5 || !"storage".equals(t.items().get(0))) {
            throw fail("persistent id " + describe(pid) + " is not a ('storage', type, key, location, numel) tuple");
        }
        List<Object> p = t.items();
        if (!(p.get(1) instanceof GlobalRef g) || g.kind() != Global.STORAGE_TYPE) {
            throw fail("persistent id names " + describe(p.get(1)) + ", not a storage type");
        }
        if (!(p.get(2) instanceof String key) || key.isEmpty() || key.contains("/") || key.contains("..")) {
            throw fail("persistent id has an invalid storage key " + describe(p.get(2)));
        }
        long numel = asLong(p.get(4), "storage numel");
        return new StorageRef(g.name(), key, numel);
    }

    private long asLong(Object o, String what) {
        if (o instanceof Long l) {
            return l;
        }
        throw fail(what + " is " + describe(o) + ", not an integer");
    }

    private long[] longs(Object o, String what) {
        if (!(o instanceof Tuple t)) {
            throw fail(what + " is " + describe(o) + ", not a tuple");
        }
        long[] out = new long[t.items().size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = asLong(t.items().get(i), what + "[" + i + "]");
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private Map<Object, Object> asMap(Object o, String op) {
        if (o instanceof Map<?, ?> m) {
            return (Map<Object, Object>) m;
        }
        throw fail(op + " on " + describe(o) + ", not a dict");
    }

    @SuppressWarnings("unchecked")
    private List<Object> asList(Object o, String op) {
        if (o instanceof ArrayList<?> l) {
            return (List<Object>) l;
        }
        throw fail(op + " on " + describe(o) + ", not a list");
    }

    private Object memoGet(long index) {
        if (!memo.containsKey(index)) {
            throw fail("memo index " + index + " was never stored");
        }
        return memo.get(index);
    }

    private Object peek() {
        if (stack.isEmpty()) {
            throw fail("stack underflow");
        }
        Object top = stack.get(stack.size() - 1);
        if (top == MARK) {
            throw fail("MARK used as a value");
        }
        return top;
    }

    private Object pop() {
        Object top = peek();
        stack.remove(stack.size() - 1);
        return top;
    }

    private List<Object> popN(int n) {
        if (stack.size() < n || (!marks.isEmpty() && stack.size() - n < marks.get(marks.size() - 1))) {
            throw fail("stack underflow");
        }
        List<Object> items = new ArrayList<>(stack.subList(stack.size() - n, stack.size()));
        stack.subList(stack.size() - n, stack.size()).clear();
        return items;
    }

    private List<Object> popToMark() {
        if (marks.isEmpty()) {
            throw fail("no MARK on the stack");
        }
        int mark = marks.remove(marks.size() - 1);
        List<Object> items = new ArrayList<>(stack.subList(mark, stack.size()));
        stack.subList(mark, stack.size()).clear();
        return items;
    }

    private String readString(long length) {
        if (length < 0 || length > in.remaining()) {
            throw fail("string of " + length + " bytes runs past the end of the pickle");
        }
        byte[] bytes = new byte[(int) length];
        in.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private String readLine() {
        StringBuilder sb = new StringBuilder();
        while (true) {
            byte b = in.get();
            if (b == '\n') {
                return sb.toString();
            }
            if (sb.length() > 1000) {
                throw fail("GLOBAL name too long");
            }
            sb.append((char) (b & 0xFF));
        }
    }

    private long readLong1() {
        int n = in.get() & 0xFF;
        if (n > 8) {
            throw fail("LONG1 of " + n + " bytes does not fit in 64 bits");
        }
        long v = 0;
        for (int i = 0; i < n; i++) {
            v |= (long) (in.get() & 0xFF) << (8 * i);
        }
        if (n > 0 && n < 8 && (v & (1L << (8 * n - 1))) != 0) {
            v -= 1L << (8 * n); // two's complement sign
        }
        return v;
    }

    private static String describe(Object o) {
        if (o == null) {
            return "None";
        }
        if (o instanceof GlobalRef g) {
            return "global " + g.name();
        }
        return o.getClass().getSimpleName() + (o instanceof String s ? " '" + s + "'" : "");
    }

    private CheckpointException fail(String message) {
        return new CheckpointException(source + ": " + message);
    }
}
