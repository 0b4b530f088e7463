package dev.sensorchat.functions;

import dev.sensorchat.AppContext;
import dev.sensorchat.testing.TestExecutionContext;
import java.util.List;

/** Runs the change-feed-triggered notification function the way the host would, for tests in other packages. */
public final class AlertNotifications {

    private final AlertNotificationsFunction function;

    public AlertNotifications(AppContext app) {
        this.function = new AlertNotificationsFunction(app::alertNotifier);
    }

    /** Delivers one change-feed batch: the changed documents as JSON, as the Cosmos DB trigger passes them. */
    public TestExecutionContext deliver(List<String> changedDocuments) {
        TestExecutionContext context = new TestExecutionContext("alertNotifications");
        function.run(changedDocuments.toArray(String[]::new), context);
        return context;
    }
}
