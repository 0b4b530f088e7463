package dev.sensorchat.health;

import java.util.List;

/** The app's version and the state of each dependency. */
public record HealthReport(String version, List<DependencyStatus> dependencies) {

    public boolean healthy() {
        return dependencies.stream().allMatch(DependencyStatus::healthy);
    }

    public String status() {
        return healthy() ? "healthy" : "unhealthy";
    }
}
