package dev.switchboard.chat.infrastructure.realtime;

import dev.switchboard.chat.security.ChatPrincipal;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Cluster-wide presence decisions from fetched sockets, local (live session) and remote (its JSON view). */
class PresenceTest {
    private static ChatSocketSession session(String user, long since, String... rooms) {
        return new ChatSocketSession(new ChatPrincipal(user, Set.of("user"), Instant.now().plusSeconds(60)),
                new RateLimiter(5, 1000), Set.of(rooms), since);
    }

    private static Presence.Holder local(String socketId, ChatSocketSession s) {
        return Presence.holder(socketId, Map.of(ChatSocketSession.DATA_KEY, s)).orElseThrow();
    }

    /** What another node's socket looks like after the trip through the cluster codec: plain maps and numbers. */
    private static Presence.Holder remote(String socketId, String user, Map<String, Object> rooms) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("user_id", user);
        view.put("rooms", rooms);
        return Presence.holder(socketId, Map.of(ChatSocketSession.DATA_KEY, view)).orElseThrow();
    }

    @Test
    void theFirstSocketOfAUserInARoomAnnouncesTheLaterOnesDoNot() {
        Presence.Holder tab1 = local("a", session("alice", 100, "general"));
        Presence.Holder tab2 = remote("b", "alice", Map.of("general", 200L));
        List<Presence.Holder> all = List.of(tab1, tab2);
        assertThat(Presence.firstIn(all, "alice", "a", "general", 100)).isTrue();
        assertThat(Presence.firstIn(all, "alice", "b", "general", 200)).isFalse();
        // The same instant on two nodes: the smaller socket id announces, exactly one of the two.
        Presence.Holder tie = remote("c", "alice", Map.of("general", 100));
        assertThat(Presence.firstIn(List.of(tab1, tie), "alice", "a", "general", 100)).isTrue();
        assertThat(Presence.firstIn(List.of(tab1, tie), "alice", "c", "general", 100)).isFalse();
        // Another user's socket or another room does not count.
        Presence.Holder bob = remote("d", "bob", Map.of("general", 1L));
        Presence.Holder elsewhere = remote("e", "alice", Map.of("random", 1L));
        assertThat(Presence.firstIn(List.of(bob, elsewhere), "alice", "a", "general", 100)).isTrue();
    }

    @Test
    void userLeftOnlyWhenNoOtherSocketOfTheUserIsInTheRoom() {
        Presence.Holder leaving = local("a", session("alice", 100, "general", "dev"));
        Presence.Holder other = remote("b", "alice", Map.of("general", 300L));
        List<Presence.Holder> all = List.of(leaving, other);
        assertThat(Presence.noneLeftIn(all, "alice", "a", "general")).isFalse();
        assertThat(Presence.noneLeftIn(all, "alice", "a", "dev")).isTrue();
        assertThat(Presence.noneLeftIn(List.of(leaving), "alice", "a", "general")).isTrue();
    }

    @Test
    void usersInARoomAreCountedOnceSorted() {
        List<Presence.Holder> all = List.of(
                local("a", session("zoe", 1, "general")),
                remote("b", "alice", Map.of("general", 2L)),
                remote("c", "alice", Map.of("general", 3L, "dev", 3L)),
                remote("d", "bob", Map.of("dev", 4L)));
        assertThat(Presence.usersIn(all, "general")).containsExactly("alice", "zoe");
        assertThat(Presence.usersIn(all, "dev")).containsExactly("alice", "bob");
    }

    @Test
    void socketsWithoutAChatSessionAreNotHolders() {
        assertThat(Presence.holder("x", Map.of())).isEmpty();
        assertThat(Presence.holder("x", Map.of(ChatSocketSession.DATA_KEY, "junk"))).isEmpty();
        assertThat(Presence.holder("x", Map.of(ChatSocketSession.DATA_KEY, Map.of("user_id", 7)))).isEmpty();
    }

    @Test
    void theSessionsJsonViewIsWhatOtherNodesRead() throws Exception {
        ChatSocketSession s = session("alice", 42, "general");
        s.addRoom("dev", 43);
        String json = dev.switchboard.socketio.parser.SioJson.mapper().writeValueAsString(Map.of(ChatSocketSession.DATA_KEY,
                s));
        @SuppressWarnings("unchecked")
        Map<String, Object> back = dev.switchboard.socketio.parser.SioJson.mapper().readValue(json, Map.class);
        Presence.Holder h = Presence.holder("r", back).orElseThrow();
        assertThat(h.userId()).isEqualTo("alice");
        assertThat(h.rooms()).containsExactlyInAnyOrderEntriesOf(Map.of("general", 42L, "dev", 43L));
        assertThat(s.addRoom("dev", 50)).isFalse();
        assertThat(s.since("dev")).isEqualTo(43);
    }
}
