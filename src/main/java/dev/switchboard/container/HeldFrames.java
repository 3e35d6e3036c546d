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

    /** The held frames in order, as one array; the holder is empty afterwards (see {@link #takeWritten()} first). */
    byte[] takeBytes() {
        byte[] out;
        if (more == null) {
            out = first;
        } else {
            out = new byte[bytes];
            System.arraycopy(first, 0, out, 0, first.length);
            int at = first.length;
            for (byte[] f : more) {
                System.arraycopy(f, 0, out, at, f.length);
                at += f.length;
            }
        }
        first = null;
        more = null;
        bytes = 0;
        return out;
    }

    /** What runs once the frames have left (null when none asked); call before {@link #takeBytes()}. */
    Runnable takeWritten() {
        Runnable one = firstWritten;
        List<Runnable> rest = moreWritten;
        firstWritten = null;
        moreWritten = null;
        if (rest == null || rest.isEmpty()) {
            return one;
        }
        List<Runnable> all = new ArrayList<>(rest.size() + 1);
        if (one != null) {
            all.add(one);
        }
        all.addAll(rest);
        return () -> all.forEach(Runnable::run);
    }
}
