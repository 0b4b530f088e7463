package dev.sensorchat.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

/** The jar of a one-class function app written for a benchmark (the empty app, the per-event peer). */
final class FunctionAppJar {

    private FunctionAppJar() {
    }

    /** Writes {@code jar} holding {@code type}'s class file, as compiled for these tests. */
    static void write(Path jar, Class<?> type) throws IOException {
        String classFile = type.getName().replace('.', '/') + ".class";
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
             InputStream bytes = type.getClassLoader().getResourceAsStream(classFile)) {
            out.putNextEntry(new JarEntry(classFile));
            bytes.transferTo(out);
            out.closeEntry();
        }
    }
}
