package dev.switchboard.container;

import java.util.ArrayList;
import java.util.List;

/**
 * The WebSocket frames written while one read is handled on a selector thread, held per connection and written at the
 * end of that read. A read that carries several messages (a sender the server fell behind) then writes each recipient
 * one buffer for all of them rather than one system call per message and recipient: the busier the server, the fewer
 * writes per message. A read carrying one message writes as before, once its handling is done.
 *
 * <p>Per thread, and only on the thread that opened it: writes from other threads (timers, the chat's executor) go
 * straight out, unless their connection already holds frames, which keeps each connection's frames in order.
 */
final class WriteBatch {
    private static final System.Logger LOG = System.getLogger(WriteBatch.class.getName());
    private static final ThreadLocal<WriteBatch> CURRENT = ThreadLocal.withInitial(WriteBatch::new);

    /** Who holds frames until the batch ends. */
    interface Holder {
        /** Writes what it holds. */
        void release();
    }

    private final List<Holder> holders = new ArrayList<>();
    private boolean open;

    private WriteBatch() {
    }

    /** Runs a read's handling with writes held until it returns; nested calls join the batch already open. */
    static void around(Runnable read) {
        WriteBatch batch = CURRENT.get();
        if (batch.open) {
            read.run();
            return;
        }
        batch.open = true;
        try {
            read.run();
        } finally {
            batch.open = false;
            batch.releaseAll();
        }
    }

    /** The batch open on this thread, or null. */
    static WriteBatch current() {
        WriteBatch batch = CURRENT.get();
        return batch.open ? batch : null;
    }

    /** A holder that now holds frames; it is released once when the batch ends. */
    void hold(Holder holder) {
        holders.add(holder);
    }

    private void releaseAll() {
        for (int i = 0; i < holders.size(); i++) { // by index: a release may not add, but must not fail the others
            try {
                holders.get(i).release();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "a held WebSocket write failed", e);
            }
        }
        holders.clear();
    }
}
