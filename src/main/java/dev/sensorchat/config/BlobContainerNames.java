package dev.sensorchat.config;

import dev.sensorchat.blob.BlobNames;
import java.util.List;

/**
 * The app's blob containers, named by settings.
 *
 * @param deadLetters telemetry that failed validation, kept with the reason
 * @param uploads     batch files from devices that buffered offline
 * @param reports     generated fleet reports
 */
public record BlobContainerNames(String deadLetters, String uploads, String reports) {

    public static final String DEADLETTER_CONTAINER = "DEADLETTER_CONTAINER";
    public static final String UPLOADS_CONTAINER = "UPLOADS_CONTAINER";
    public static final String REPORTS_CONTAINER = "REPORTS_CONTAINER";

    public static BlobContainerNames read(AppSettings settings) {
        return new BlobContainerNames(
                container(settings, DEADLETTER_CONTAINER, "telemetry-deadletters"),
                container(settings, UPLOADS_CONTAINER, "telemetry-uploads"),
                container(settings, REPORTS_CONTAINER, "reports"));
    }

    public List<String> all() {
        return List.of(deadLetters, uploads, reports);
    }

    private static String container(AppSettings settings, String setting, String defaultName) {
        String name = settings.get(setting, defaultName);
        try {
            return BlobNames.requireValidContainer(name);
        } catch (IllegalArgumentException e) {
            throw new SettingException(setting, "must be a container name: 3-63 lowercase letters, digits and single hyphens.");
        }
    }
}
