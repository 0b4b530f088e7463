package dev.sensorchat.localhost;

import java.util.concurrent.ThreadFactory;

/** The host's background threads are daemons: they never keep the JVM alive after Ctrl-C. */
final class Threads {

    private Threads() {
    }

    static ThreadFactory daemon(String name) {
        return task -> {
            Thread thread = new Thread(task, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
