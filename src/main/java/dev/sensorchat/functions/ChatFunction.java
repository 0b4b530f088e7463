package dev.sensorchat.functions;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.HttpStatus;
import com.microsoft.azure.functions.annotation.AuthorizationLevel;
import com.microsoft.azure.functions.annotation.BindingName;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.HttpTrigger;
import dev.sensorchat.AppContext;
import dev.sensorchat.chat.ChatService;
import dev.sensorchat.chat.channels.ChannelResponse;
import dev.sensorchat.chat.channels.InboundRequest;
import dev.sensorchat.observability.Invocation;
import dev.sensorchat.storage.StoreException;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.logging.Level;

/**
 * POST /api/chat/{channel}: the chat webhooks (generic, telegram, teams, slack). Anonymous at the
 * Functions level because each platform authenticates with its own signature, which
 * {@link ChatService} checks before anything else happens.
 */
public final class ChatFunction {

    private final Supplier<ChatService> chat;

    public ChatFunction() {
        this(() -> AppContext.shared().chat());
    }

    ChatFunction(Supplier<ChatService> chat) {
        this.chat = chat;
    }

    @FunctionName("chat")
    public HttpResponseMessage run(
            @HttpTrigger(name = "request", methods = {HttpMethod.POST}, authLevel = AuthorizationLevel.ANONYMOUS,
                    route = "api/chat/{channel}") HttpRequestMessage<Optional<String>> request,
            @BindingName("channel") String channel,
            ExecutionContext context) {
        try (Invocation ignored = Invocations.open(context)) {
            try {
                ChannelResponse response = chat.get().handle(channel, new InboundRequest(request.getHeaders(), request.getBody().orElse("")));
                if (response.status() == 401) {
                    context.getLogger().warning(() -> "chat/" + channel + ": refused an unauthenticated delivery");
                } else if (response.status() >= 500) {
                    context.getLogger().severe(() -> "chat/" + channel + ": answered " + response.status() + " for the platform to retry");
                }
                HttpResponseMessage.Builder answer = request.createResponseBuilder(HttpStatus.valueOf(response.status()))
                        .header("Content-Type", response.contentType());
                response.headers().forEach(answer::header);
                return answer.body(response.body()).build();
            } catch (StoreException.Unavailable e) {
                // The platform retries a 503: the message is answered once the store is back.
                context.getLogger().log(Level.SEVERE, "chat/" + channel + " failed, a dependency is down", e);
                return Api.unavailable(request, context);
            } catch (RuntimeException e) {
                context.getLogger().log(Level.SEVERE, "chat/" + channel + " failed", e);
                return Api.problem(request, HttpStatus.INTERNAL_SERVER_ERROR, "Internal error",
                        "The message could not be handled; quote invocation " + context.getInvocationId() + ".", List.of());
            }
        }
    }
}
