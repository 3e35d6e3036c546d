package dev.switchboard.chat.domain;

import java.util.List;
import java.util.Optional;

/** Memberships; called inside a transaction. */
public interface MembershipRepository {
    Optional<Membership> find(String roomName, String userId);

    /** Stores a new membership; a duplicate fails with the database's unique violation. */
    void add(Membership membership);

    void remove(Membership membership);

    /** Room names the user belongs to, by name. */
    List<String> roomsOf(String userId);

    /** User ids of the room's members, by id. */
    List<String> members(String roomName);
}
