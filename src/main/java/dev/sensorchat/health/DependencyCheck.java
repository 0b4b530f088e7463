package dev.sensorchat.health;

/**
 * One cheap, real call to a dependency. It returns normally when the dependency answered as
 * expected and throws, with a short message a person can act on, when it did not.
 */
public record DependencyCheck(String name, Probe probe) {

    @FunctionalInterface
    public interface Probe {
        void run() throws Exception;
    }
}
