package dev.switchboard.container;

import java.util.ArrayList;
import java.util.List;

/**
 * Frames for one WebSocket held while a read is handled ({@link WriteBatch}), with what to run when each is written.
 * They leave as one buffer: one system call, and on loopback one segment for the client to read, instead of one each.
 */
final class HeldFrames {
    /** Held bytes past which the frames leave at once rather than at the end of the read: bounds memory and delay. */
    static final int FLUSH_BYTES = 64 * 1024;

    private byte[] first;
    private Runnable firstWritten;
    private List<byte[]> more; // most reads hold one frame per socket: no list then
    private List<Runnable> moreWritten;
    private int bytes;

    boolean isEmpty() {
        return first == null;
    }

    int bytes() {
        return bytes;
    }

    /** Holds a frame; {@code written} (may be null) runs when the frames have been written or failed. */
    void add(byte[] frame, Runnable written) {
        if (first == null) {
            first = frame;
            firstWritten = written;
        } else {
            if (more == null) {
                more = new ArrayList<>(4);
                moreWritten = new ArrayList<>(4);
            }
            more.add(frame);
            if (written != null) {
                moreWritten.add(written);
            }
        }
        bytes += frame.length;
    }

    /** What takes the held frames: them in order as one array, and what to run once they are written (or null). */
    interface Sink {
        void send(byte[] frames, Runnable written);
    }

    /** Hands the held frames to the sink and empties the holder. */
    void drainTo(Sink sink) {
        byte[] out = first;
        if (more != null) {
            out = new byte[bytes];
            System.arraycopy(first, 0, out, 0, first.length);
            int at = first.length;
            for (byte[] f : more) {
                System.arraycopy(f, 0, out, at, f.length);
                at += f.length;
            }
        }
        Runnable written = firstWritten;
        if (moreWritten != null && !moreWritten.isEmpty()) {
            List<Runnable> all = new ArrayList<>(moreWritten.size() + 1);
            if (firstWritten != null) {
                all.add(firstWritten);
            }
            all.addAll(moreWritten);
            written = () -> all.forEach(Runnable::run);
        }
        first = null;
        firstWritten = null;
        more = null;
        moreWritten = null;
        bytes = 0;
        sink.send(out, written);
    }
}
