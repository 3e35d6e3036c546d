package dev.switchboard.container;

import dev.switchboard.engineio.EngineServer;
import dev.switchboard.engineio.transport.HttpReply;
import dev.switchboard.engineio.transport.HttpRequestInfo;
import dev.switchboard.engineio.transport.PollExchange;
import org.glassfish.grizzly.Buffer;
import org.glassfish.grizzly.filterchain.FilterChainContext;
import org.glassfish.grizzly.http.HttpContent;
import org.glassfish.grizzly.http.HttpRequestPacket;
import org.glassfish.grizzly.http.HttpResponsePacket;
import org.glassfish.grizzly.http.HttpServerFilter;
import org.glassfish.grizzly.memory.Buffers;

import java.io.ByteArrayOutputStream;

/**
 * A polling request on Payara's HTTP listener itself (see {@link GrizzlyEngineFilter}), as the engine's port: its body
 * is gathered before the engine sees it, and it is answered exactly once.
 *
 * <p>An answer decided while the request's read is being handled is written there, by the reading thread. A request
 * the engine holds (a GET waiting for packets) suspends its read context: the connection reads nothing more meanwhile,
 * and the listener's idle timeout does not run, as for a suspended servlet request. The answer, from whichever thread
 * decides it, is written through that context, which then resumes and ends; the HTTP codec then readies the
 * connection for its next request (keep-alive) or closes it.
 */
final class GrizzlyPollExchange implements PollExchange {
    private static final System.Logger LOG = System.getLogger(GrizzlyPollExchange.class.getName());

    private enum State { READING, HELD, ANSWERED }

    private final EngineServer engine;
    private final HttpRequestPacket request;
    private final HttpRequestInfo info;
    private final String requestId;
    private final int maxBody;
    private final ByteArrayOutputStream body;
    private boolean tooLarge;
    private boolean complete;
    private boolean dispatched;

    // guarded by this
    private State state = State.READING;
    private FilterChainContext ctx;
    private Thread reader;
    private HttpReply early;
    private Runnable abortCallback;
    private boolean aborted;
    private boolean recyclable;

    /**
     * @param maxBody the engine's largest payload: more is refused (413) without being kept
     */
    GrizzlyPollExchange(EngineServer engine, HttpRequestPacket request, HttpRequestInfo info, String requestId,
                        int maxBody) {
        this.engine = engine;
        this.request = request;
        this.info = info;
        this.requestId = requestId;
        this.maxBody = maxBody;
        long declared = request.getContentLength();
        this.tooLarge = declared > maxBody;
        this.body = new ByteArrayOutputStream(tooLarge ? 0 : (int) Math.min(Math.max(declared, 0), 64 * 1024));
    }

    EngineServer engine() {
        return engine;
    }

    HttpRequestPacket packet() {
        return request;
    }

    String requestId() {
        return requestId;
    }

    /** True while parts of this request's body are still to come (the codec gives them in order). */
    boolean awaitsBody() {
        return !complete;
    }

    /**
     * Keeps a part of the body (the reading thread only).
     *
     * @return true when the engine is to get the request now: its body is complete, or over the limit (then the
     *         engine answers 413 at once, and what is left of the body is dropped)
     */
    boolean append(Buffer content, boolean last) {
        int n = content.remaining();
        if (!tooLarge && n > 0) {
            if (body.size() + (long) n > maxBody) {
                tooLarge = true;
                body.reset();
            } else if (content.hasArray()) {
                body.write(content.array(), content.arrayOffset() + content.position(), n);
            } else {
                byte[] bytes = new byte[n];
                content.get(bytes);
                body.writeBytes(bytes);
            }
        }
        complete |= last;
        if (dispatched || !(complete || tooLarge)) {
            return false;
        }
        dispatched = true;
        return true;
    }

    /** The engine is about to handle the request on this thread, which holds the read context. */
    synchronized void reading(FilterChainContext context) {
        this.ctx = context;
        this.reader = Thread.currentThread();
    }

    /**
     * The engine returned. Answered: the context ends as usual. Not yet: it is suspended until the answer comes.
     *
     * @return true when the read context was suspended
     */
    boolean readEnded() {
        HttpReply pending;
        synchronized (this) {
            reader = null;
            if (state == State.READING && early == null) {
                state = State.HELD;
                ctx.suspend();
                return true;
            }
            pending = early;
            early = null;
            state = State.ANSWERED;
        }
        if (pending != null) { // answered on another thread while this one was still in the engine
            write(pending, false);
        }
        return false;
    }

    @Override
    public HttpRequestInfo request() {
        return info;
    }

    @Override
    public byte[] readBody(int maxBytes) throws PayloadTooLargeException {
        if (tooLarge || body.size() > maxBytes) {
            throw new PayloadTooLargeException();
        }
        return body.toByteArray();
    }

    @Override
    public void reply(HttpReply reply) {
        boolean resume;
        synchronized (this) {
            if (state == State.ANSWERED || early != null) {
                return;
            }
            if (state == State.READING && reader != Thread.currentThread()) {
                early = reply; // the reading thread writes it when the engine returns (see readEnded)
                return;
            }
            resume = state == State.HELD;
            state = State.ANSWERED;
        }
        write(reply, resume);
    }

    /** Writes the answer through the read context; state is ANSWERED already, so only one thread gets here. */
    private void write(HttpReply reply, boolean resume) {
        try {
            HttpResponsePacket response = request.getResponse();
            response.setStatus(reply.status());
            PollReplyHeaders.of(reply).forEach(response::setHeader);
            response.setHeader(RequestIdFilter.HEADER, requestId);
            if (reply.contentType() != null) {
                response.setContentType(reply.contentType());
            }
            response.setContentLength(reply.body().length);
            Buffer content = Buffers.wrap(ctx.getMemoryManager(), reply.body());
            ctx.write(HttpContent.builder(response).content(content).last(true).build());
            // what Grizzly's HTTP server says when a response is done: keep-alive or close, and the next request
            ctx.notifyDownstream(HttpServerFilter.RESPONSE_COMPLETE_EVENT);
            if (resume) {
                synchronized (this) {
                    recyclable = true; // by the connection's reading thread, at its next request (see recycled)
                }
            } else {
                recycle(response);
            }
        } catch (RuntimeException e) { // the connection is gone
            LOG.log(System.Logger.Level.DEBUG, "polling reply not written: {0}", e.toString());
        } finally {
            if (resume) {
                ctx.resume(ctx.getStopAction());
            }
        }
    }

    /**
     * The connection's next request arrived, on its reading thread: an answer that was written from another thread
     * (a held GET answered by a broadcast, say) gives its request back to this thread's cache now. Recycled on the
     * writing thread instead, it would land in the cache of a thread that reads none of these connections, and the
     * reading threads would build a new request every time.
     */
    void recycled() {
        synchronized (this) {
            if (!recyclable) {
                return;
            }
            recyclable = false;
        }
        recycle(request.getResponse());
    }

    /**
     * Gives the request and response back to Grizzly's per-thread caches once the response is out, as Grizzly's own
     * HTTP server does after each request: without it every poll built a new request with its header fields and
     * chunks, about half of what a polling server allocated. Not while the codec still reads the request's body
     * (an oversized one it skips): it uses both then. Nothing here reads the packet afterwards; the engine has its
     * own copy of what it needs ({@link HttpRequestInfo}).
     */
    private void recycle(HttpResponsePacket response) {
        if (!request.isExpectContent()) {
            response.recycle();
            request.recycle();
        }
    }

    /** The connection closed: a held request's engine side hears of it. */
    void connectionClosed() {
        Runnable callback;
        synchronized (this) {
            aborted = true;
            callback = state == State.ANSWERED ? null : abortCallback;
        }
        if (callback != null) {
            callback.run();
        }
    }

    @Override
    public void onAbort(Runnable callback) {
        boolean now;
        synchronized (this) {
            abortCallback = callback;
            now = aborted && state != State.ANSWERED;
        }
        if (now) {
            callback.run();
        }
    }
}
