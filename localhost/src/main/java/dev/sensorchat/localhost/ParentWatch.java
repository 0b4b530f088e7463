package dev.sensorchat.localhost;

import java.util.Optional;

/**
 * Stops this process when the one that started it ends. An IDE or a script that stops the run
 * command signals only the Maven process; its children would otherwise keep the local host and
 * both servers running and serving, orphaned.
 */
final class ParentWatch {

    private ParentWatch() {
    }

    /** When the parent exits, exits with 0, which runs the shutdown hooks that stop the children. */
    static Optional<ProcessHandle> exitWithParent() {
        Optional<ProcessHandle> parent = ProcessHandle.current().parent();
        parent.ifPresent(handle -> handle.onExit().thenRun(() -> {
            System.out.println("the process that started this one ended: stopping");
            System.exit(0);
        }));
        return parent;
    }
}
