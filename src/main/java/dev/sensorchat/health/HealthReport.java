package dev.sensorchat.health;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/** The app's version and the state of each dependency. */
@JsonPropertyOrder({"status", "version", "dependencies"})
public record HealthReport(String version, List<DependencyStatus> dependencies) {

    @JsonIgnore
    public boolean healthy() {
        return dependencies.stream().allMatch(DependencyStatus::healthy);
    }

    /** "healthy" or "unhealthy": what monitors and people read first. */
    @JsonProperty("status")
    public String status() {
        return healthy() ? "healthy" : "unhealthy";
    }
}
