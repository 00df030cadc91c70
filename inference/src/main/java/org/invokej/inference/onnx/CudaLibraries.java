package org.invokej.inference.onnx;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * ONNX Runtime's CUDA provider needs the CUDA 12 runtime libraries and cuDNN 9. When the system has
 * none, the {@code cuda} build carries them in {@code org.bytedeco:cuda}'s redistributable jar; loading
 * them through JavaCPP's {@code Loader} before the provider is added lets the provider find them
 * (the dynamic linker matches already loaded libraries by name). Reflection keeps the CPU build free
 * of that dependency.
 */
final class CudaLibraries {
    private static final String[] BYTEDECO_PRESETS = {
        "org.bytedeco.cuda.global.cudart", "org.bytedeco.cuda.global.cublas", "org.bytedeco.cuda.global.cufft",
        "org.bytedeco.cuda.global.curand", "org.bytedeco.cuda.global.nvrtc", "org.bytedeco.cuda.global.cudnn",
    };

    private CudaLibraries() {
    }

    /** Loads the bytedeco CUDA libraries if no system CUDA 12 runtime is found; returns a problem or null. */
    static synchronized String preloadIfNeeded() {
        if (systemRuntimeFound()) {
            return null;
        }
        Class<?> loader;
        try {
            loader = Class.forName("org.bytedeco.javacpp.Loader");
        } catch (ClassNotFoundException e) {
            return "no system libcudart.so.12 found and org.bytedeco:cuda is not on the classpath";
        }
        try {
            for (String preset : BYTEDECO_PRESETS) {
                loader.getMethod("load", Class.class).invoke(null, Class.forName(preset));
            }
            return null;
        } catch (ReflectiveOperationException | LinkageError e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            return "loading the CUDA libraries of org.bytedeco:cuda failed: " + cause;
        }
    }

    private static boolean systemRuntimeFound() {
        List<Path> folders = new ArrayList<>();
        String libraryPath = System.getenv("LD_LIBRARY_PATH");
        if (libraryPath != null) {
            for (String entry : libraryPath.split(":")) {
                if (!entry.isBlank()) {
                    folders.add(Path.of(entry));
                }
            }
        }
        folders.add(Path.of("/usr/lib/x86_64-linux-gnu"));
        folders.add(Path.of("/usr/local/cuda/lib64"));
        try (Stream<Path> opt = Files.list(Path.of("/usr/local"))) {
            opt.filter(p -> p.getFileName().toString().startsWith("cuda-12")).forEach(p -> folders.add(p.resolve("lib64")));
        } catch (IOException e) {
            // no /usr/local: nothing more to look at
        }
        return folders.stream().anyMatch(folder -> Files.exists(folder.resolve("libcudart.so.12")));
    }
}
