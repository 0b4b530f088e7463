package dev.sensorchat.health;

/**
 * @param name      dependency, e.g. {@code cosmosDb}
 * @param healthy   whether it answered as expected within the timeout
 * @param latencyMs how long the check took (the timeout when it gave up)
 * @param error     why it is unhealthy; null when healthy
 */
public record DependencyStatus(String name, boolean healthy, long latencyMs, String error) {
}
