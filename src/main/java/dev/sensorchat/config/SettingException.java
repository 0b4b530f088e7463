package dev.sensorchat.config;

/**
 * A missing or malformed app setting. The message names the setting and what is expected of it,
 * and never repeats the setting's value, which may be a secret.
 */
public final class SettingException extends IllegalStateException {

    private final String setting;

    public SettingException(String setting, String problem) {
        super("App setting '" + setting + "' " + problem);
        this.setting = setting;
    }

    /** The name of the offending setting, e.g. {@code CosmosDb__accountEndpoint}. */
    public String setting() {
        return setting;
    }
}
