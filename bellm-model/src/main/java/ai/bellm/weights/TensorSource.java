package ai.bellm.weights;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/** A set of named tensors stored in one or more files, read on demand and widened to F32. */
public interface TensorSource extends AutoCloseable {

    /** Names of all tensors, in file order. */
    Set<String> tensorNames();

    default boolean hasTensor(String name) {
        return tensorNames().contains(name);
    }

    /** Logical (PyTorch-order) shape of a tensor, known without reading its data. */
    int[] shape(String name) throws WeightFormatException;

    /** Reads one tensor as F32 in its PyTorch shape. */
    Tensor read(String name) throws IOException;

    /** The files holding the tensors (for checksums). */
    List<Path> files();

    @Override
    void close() throws IOException;
}
