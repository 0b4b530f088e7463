package dev.sensorchat.functions;

import dev.sensorchat.AppContext;
import dev.sensorchat.config.AppSettings;
import dev.sensorchat.testing.TestExecutionContext;
import java.util.HashMap;
import java.util.Map;

/**
 * Runs the upload function once, in a JVM of its own; {@link LargeUploadIT} starts it with a small
 * heap. Arguments: the blob's container and name, then app settings as {@code key=value}.
 */
public final class LargeUploadRun {

    private LargeUploadRun() {
    }

    public static void main(String[] args) {
        Map<String, String> settings = new HashMap<>();
        for (int i = 2; i < args.length; i++) {
            int equals = args[i].indexOf('=');
            settings.put(args[i].substring(0, equals), args[i].substring(equals + 1));
        }
        try (AppContext app = new AppContext(new AppSettings(settings))) {
            TestExecutionContext context = new TestExecutionContext("uploads");
            new UploadFunction(app::uploads, app::blobStore).run(app.blobStore(args[0]).client(args[1]), context);
            context.loggedMessages().forEach(System.out::println);
        }
        Runtime runtime = Runtime.getRuntime();
        System.out.println("max heap MB=" + runtime.maxMemory() / (1024 * 1024));
    }
}
