package dev.eveflink.model.weights;

import java.util.Set;

/**
 * The tensors of one checkpoint (a single file or all shards of a sharded one), by name, before any
 * data is read. Closing it releases open files; arrays already materialized stay valid.
 */
public interface Checkpoint extends AutoCloseable {

    /** Every tensor name the checkpoint holds (aliases included), in file order. */
    Set<String> names();

    /** Dtype, shape and stored size of one tensor; fails naming the tensor when absent. */
    TensorInfo info(String name);

    /** Handle to read one tensor's data. */
    StoredTensor tensor(String name);

    @Override
    void close();
}
