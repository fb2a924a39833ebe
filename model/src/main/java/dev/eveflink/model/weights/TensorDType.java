package dev.eveflink.model.weights;

import ai.djl.ndarray.types.DataType;
import java.util.Arrays;
import java.util.Optional;

/**
 * Element types a stored tensor may have. Floating types are converted to the loader's target type;
 * integer and boolean types keep their own DJL type. BF16 has no DJL counterpart on purpose: a
 * BFLOAT16 NDArray aborts the JVM, so BF16 is always widened to float32 bits in Java.
 */
public enum TensorDType {
    F64("F64", "DoubleStorage", 8, true, DataType.FLOAT64),
    F32("F32", "FloatStorage", 4, true, DataType.FLOAT32),
    F16("F16", "HalfStorage", 2, true, DataType.FLOAT16),
    BF16("BF16", "BFloat16Storage", 2, true, null),
    I64("I64", "LongStorage", 8, false, DataType.INT64),
    I32("I32", "IntStorage", 4, false, DataType.INT32),
    I8("I8", "CharStorage", 1, false, DataType.INT8),
    U8("U8", "ByteStorage", 1, false, DataType.UINT8),
    BOOL("BOOL", "BoolStorage", 1, false, DataType.BOOLEAN);

    private final String safetensorsName;
    private final String torchStorageName;
    private final int byteSize;
    private final boolean floating;
    private final DataType ownType;

    TensorDType(
            String safetensorsName,
            String torchStorageName,
            int byteSize,
            boolean floating,
            DataType ownType) {
        this.safetensorsName = safetensorsName;
        this.torchStorageName = torchStorageName;
        this.byteSize = byteSize;
        this.floating = floating;
        this.ownType = ownType;
    }

    /** Bytes per element in the file. */
    public int byteSize() {
        return byteSize;
    }

    /** True for F64/F32/F16/BF16, the types converted to the loader's target type. */
    public boolean isFloating() {
        return floating;
    }

    /** The DJL type an integer/bool tensor keeps (null for BF16, which DJL must never see). */
    DataType ownType() {
        return ownType;
    }

    /** The dtype string safetensors headers use ("F32", "BF16", ...). */
    public String safetensorsName() {
        return safetensorsName;
    }

    /** Looks up a safetensors dtype string; empty when unsupported. */
    public static Optional<TensorDType> fromSafetensors(String name) {
        return Arrays.stream(values()).filter(t -> t.safetensorsName.equals(name)).findFirst();
    }

    /** Looks up a torch storage class name such as {@code FloatStorage}; empty when unsupported. */
    public static Optional<TensorDType> fromTorchStorage(String className) {
        return Arrays.stream(values()).filter(t -> t.torchStorageName.equals(className)).findFirst();
    }

    /** The supported safetensors names, for error messages. */
    static String supportedSafetensorsNames() {
        return Arrays.toString(Arrays.stream(values()).map(t -> t.safetensorsName).toArray());
    }
}
