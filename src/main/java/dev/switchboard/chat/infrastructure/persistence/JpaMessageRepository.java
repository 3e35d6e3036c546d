package dev.switchboard.chat.infrastructure.persistence;

import dev.switchboard.chat.domain.Message;
import dev.switchboard.chat.domain.MessageRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.TypedQuery;

import java.util.List;
import java.util.Optional;

@ApplicationScoped
public class JpaMessageRepository implements MessageRepository {
    @PersistenceContext(unitName = "switchboard")
    EntityManager em;

    @Override
    public Optional<Message> find(String roomName, long id) {
        return Optional.ofNullable(em.find(Message.class, id)).filter(m -> m.roomName().equals(roomName));
    }

    @Override
    public Optional<Message> findByClientId(String userId, String clientMessageId) {
        return em.createQuery("select m from Message m where m.userId = :user and m.clientMessageId = :cid",
                        Message.class)
                .setParameter("user", userId)
                .setParameter("cid", clientMessageId)
                .getResultStream()
                .findFirst();
    }

    @Override
    public List<Message> page(String roomName, Long beforeId, int limit) {
        TypedQuery<Message> query = beforeId == null
                ? em.createQuery("select m from Message m where m.roomName = :room order by m.id desc", Message.class)
                : em.createQuery("select m from Message m where m.roomName = :room and m.id < :before "
                        + "order by m.id desc", Message.class).setParameter("before", beforeId);
        return query.setParameter("room", roomName).setMaxResults(limit).getResultList();
    }

    @Override
    public void add(Message message) {
        em.persist(message);
        em.flush();
    }

    @Override
    public void remove(Message message) {
        em.remove(em.contains(message) ? message : em.merge(message));
        em.flush();
    }
}
