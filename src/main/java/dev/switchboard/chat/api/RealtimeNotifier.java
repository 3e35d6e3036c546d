package dev.switchboard.chat.api;

import dev.switchboard.chat.application.RealtimePublisher;
import dev.switchboard.chat.application.StoredMessage;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Tells connected clients what the API did, after the service has committed. A push that fails is logged, not
 * reported: the REST caller's write is stored either way. Works without a gateway bean (no pushes, no presence).
 */
@ApplicationScoped
public class RealtimeNotifier {
    private static final System.Logger LOG = System.getLogger(RealtimeNotifier.class.getName());

    @Inject
    Instance<RealtimePublisher> publisher;

    public void messagePosted(StoredMessage message) {
        push("new_message", p -> p.messagePosted(message, null));
    }

    public void messageDeleted(StoredMessage message) {
        push("message_deleted", p -> p.messageDeleted(message));
    }

    public void alert(String message, String from, String room) {
        push("alert", p -> p.alert(message, from, room));
    }

    /** Connected user ids in the room, sorted. */
    public List<String> presence(String room) {
        if (!publisher.isResolvable()) {
            return List.of();
        }
        Set<String> users = publisher.get().presence(room);
        return users == null ? List.of() : users.stream().sorted().toList();
    }

    private void push(String what, Consumer<RealtimePublisher> action) {
        if (!publisher.isResolvable()) {
            LOG.log(System.Logger.Level.DEBUG, "no realtime publisher; {0} not pushed", what);
            return;
        }
        try {
            action.accept(publisher.get());
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "realtime push {0} failed: {1}", what, e.toString());
        }
    }
}
