package dev.switchboard.chat.infrastructure.persistence;

import dev.switchboard.chat.domain.Room;
import dev.switchboard.chat.domain.RoomRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

@ApplicationScoped
public class JpaRoomRepository implements RoomRepository {
    @PersistenceContext(unitName = "switchboard")
    EntityManager em;

    @Override
    public Optional<Room> find(String name) {
        return Optional.ofNullable(em.find(Room.class, name));
    }

    @Override
    public List<Room> all() {
        return em.createQuery("select r from Room r order by r.name", Room.class).getResultList();
    }

    @Override
    public void add(Room room) {
        em.persist(room);
        em.flush();
    }

    @Override
    public Map<String, Long> memberCounts() {
        Map<String, Long> counts = new HashMap<>();
        em.createQuery("select m.roomName, count(m) from Membership m group by m.roomName", Object[].class)
                .getResultList()
                .forEach(row -> counts.put((String) row[0], ((Number) row[1]).longValue()));
        return counts;
    }

    @Override
    public long memberCount(String name) {
        return em.createQuery("select count(m) from Membership m where m.roomName = :room", Long.class)
                .setParameter("room", name)
                .getSingleResult();
    }
}
