package dev.sensorchat.functions;

import com.microsoft.azure.functions.HttpResponseMessage;
import dev.sensorchat.AppContext;
import dev.sensorchat.testing.ChatDeliveries.Delivery;
import dev.sensorchat.testing.TestExecutionContext;

/** Calls the chat webhook function the way the Functions host would, for tests in other packages. */
public final class ChatWebhook {

    private final ChatFunction function;

    public ChatWebhook(AppContext app) {
        this.function = new ChatFunction(app::chat);
    }

    public HttpResponseMessage deliver(Delivery delivery) {
        return function.run(delivery.asHttpRequest(), delivery.channel(), new TestExecutionContext("chat"));
    }
}
