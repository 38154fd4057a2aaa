package ai.bellm.model;

import ai.djl.engine.Engine;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The project's native BF16 kernels ({@code src/main/native/bf16_kernels.cpp}), built against libtorch 2.7.1 and
 * packaged as a resource. They work on DJL's tensor handles, so Java never asks DJL for a BF16 dtype, which its JNI
 * cannot map. Handles returned here are {@code torch::Tensor*}: a BF16 one is freed with {@link #free}, an F32 one is
 * given to DJL as a {@code PtNDArray}, which frees it.
 */
final class Bf16Kernels {

    private static final String LIBRARY = "native/linux-x86_64/libbellm_torch.so";
    private static boolean loaded;

    private Bf16Kernels() {
    }

    /** A new BF16 tensor [out, in], contiguous, from an F32 weight [in, out]. */
    static native long toBf16OutIn(long weightInOut);

    /** A new F32 tensor x W^T (+ bias) from F32 x [..., in], BF16 W [out, in] and an F32 bias [out] or 0. */
    static native long linear(long x, long weightOutIn, long biasOrZero);

    static native void free(long handle);

    /**
     * Loads the library once, after DJL's libtorch (whose libtorch_cpu.so and libc10.so it binds to by soname); fails
     * with a message saying why BF16 is unavailable.
     */
    static synchronized void load() {
        if (loaded) {
            return;
        }
        Engine.getEngine("PyTorch"); // loads libtorch first
        try (InputStream library = Bf16Kernels.class.getClassLoader().getResourceAsStream(LIBRARY)) {
            if (library == null) {
                throw new UnsupportedOperationException("BF16 needs the native kernels (" + LIBRARY
                        + "), which this build of bellm-model lacks: it builds them on linux-x86_64 only");
            }
            Path file = Files.createTempFile("bellm_torch", ".so");
            file.toFile().deleteOnExit();
            Files.copy(library, file, StandardCopyOption.REPLACE_EXISTING);
            System.load(file.toString());
            loaded = true;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpack " + LIBRARY + ": " + e.getMessage(), e);
        }
    }
}
