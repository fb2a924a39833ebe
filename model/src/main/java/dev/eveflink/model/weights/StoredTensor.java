package dev.eveflink.model.weights;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Optional;

/** One tensor inside a checkpoint file, readable without bringing the whole file (or tensor) onto the heap. */
public interface StoredTensor {

    /** Name, dtype and shape as the checkpoint declares them. */
    TensorInfo info();

    /** The file this tensor lives in, for messages. */
    String origin();

    /**
     * The whole tensor as a copy-on-write ({@code MapMode.PRIVATE}) mapping of the file, in row-major
     * little-endian order, when the storage allows it: contiguous, in a plain file, under 2 GiB, and
     * the file can be opened for mapping. Empty otherwise; the caller then copies through {@link
     * #openReader()}.
     */
    Optional<ByteBuffer> mapPrivate() throws IOException;

    /** Opens a sequential reader over the tensor's bytes in row-major order. */
    Reader openReader() throws IOException;

    /** Sequential access to a tensor's bytes, chunk by chunk. */
    interface Reader extends Closeable {
        /**
         * Returns a little-endian buffer holding exactly the next {@code byteCount} bytes; it stays
         * valid only until the next call.
         */
        ByteBuffer next(int byteCount) throws IOException;
    }
}
