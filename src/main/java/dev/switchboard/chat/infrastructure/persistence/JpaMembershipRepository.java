package dev.switchboard.chat.infrastructure.persistence;

import dev.switchboard.chat.domain.Membership;
import dev.switchboard.chat.domain.MembershipRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

import java.util.List;
import java.util.Optional;

@ApplicationScoped
public class JpaMembershipRepository implements MembershipRepository {
    @PersistenceContext(unitName = "switchboard")
    EntityManager em;

    @Override
    public Optional<Membership> find(String roomName, String userId) {
        return em.createQuery("select m from Membership m where m.roomName = :room and m.userId = :user",
                        Membership.class)
                .setParameter("room", roomName)
                .setParameter("user", userId)
                .getResultStream()
                .findFirst();
    }

    @Override
    public void add(Membership membership) {
        em.persist(membership);
        em.flush();
    }

    @Override
    public void remove(Membership membership) {
        em.remove(em.contains(membership) ? membership : em.merge(membership));
        em.flush();
    }

    @Override
    public List<String> roomsOf(String userId) {
        return em.createQuery("select m.roomName from Membership m where m.userId = :user order by m.roomName",
                        String.class)
                .setParameter("user", userId)
                .getResultList();
    }

    @Override
    public List<String> members(String roomName) {
        return em.createQuery("select m.userId from Membership m where m.roomName = :room order by m.userId",
                        String.class)
                .setParameter("room", roomName)
                .getResultList();
    }
}
