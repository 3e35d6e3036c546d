package dev.switchboard.container;

import dev.switchboard.engineio.transport.HttpReply;
import dev.switchboard.engineio.transport.HttpRequestInfo;
import dev.switchboard.engineio.transport.PollExchange;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A polling request as the engine's port: an async servlet request, answered exactly once.
 *
 * <p>A reply decided while the request's own dispatch is running is written there and then. A reply decided on
 * another thread (a held GET answered by a POST, a timer or a broadcast) is never written from that thread: it is
 * stored and the request is re-dispatched with {@link AsyncContext#dispatch()}, which the container runs only after
 * the first dispatch has left it, and the servlet writes the reply in that second dispatch. Writing and completing
 * from a foreign thread races the container's own epilogue on Payara (it then recycles a response still in use, and
 * the next request on that keep-alive connection fails).
 */
final class ServletPollExchange implements PollExchange {
    static final String ATTRIBUTE = ServletPollExchange.class.getName();

    private final HttpServletRequest request;
    private final AsyncContext async;
    private final HttpRequestInfo info;
    private final Thread dispatchThread = Thread.currentThread();
    private final AtomicBoolean answered = new AtomicBoolean();
    private final AtomicBoolean aborted = new AtomicBoolean();
    private volatile boolean inFirstDispatch = true;
    private volatile HttpReply dispatchedReply;
    private volatile Runnable abortCallback;

    ServletPollExchange(HttpServletRequest request, HttpServletResponse response, ClientAddresses addresses) {
        this.request = request;
        this.info = RequestInfos.of(request, addresses);
        this.async = request.startAsync(request, response);
        // The engine ends held GETs itself (next ping, close); the container must not time them out first.
        this.async.setTimeout(0);
        request.setAttribute(ATTRIBUTE, this);
        // Registered now, while the request is ours: once answered, the container recycles the request object.
        this.async.addListener(new AsyncListener() {
            @Override public void onComplete(AsyncEvent event) { }

            @Override public void onTimeout(AsyncEvent event) { abort(); }

            @Override public void onError(AsyncEvent event) { abort(); }

            @Override public void onStartAsync(AsyncEvent event) { }
        });
    }

    @Override
    public HttpRequestInfo request() {
        return info;
    }

    @Override
    public byte[] readBody(int maxBytes) throws IOException, PayloadTooLargeException {
        long declared = request.getContentLengthLong();
        if (declared > maxBytes) {
            throw new PayloadTooLargeException();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(Math.max(declared, 256), maxBytes));
        byte[] chunk = new byte[8192];
        try (InputStream in = request.getInputStream()) {
            int n;
            while ((n = in.read(chunk)) > 0) {
                if (out.size() + n > maxBytes) {
                    throw new PayloadTooLargeException();
                }
                out.write(chunk, 0, n);
            }
        }
        return out.toByteArray();
    }

    @Override
    public void reply(HttpReply reply) {
        if (!answered.compareAndSet(false, true)) {
            return;
        }
        if (inFirstDispatch && Thread.currentThread() == dispatchThread) {
            write((HttpServletResponse) async.getResponse(), reply);
            complete();
            return;
        }
        dispatchedReply = reply;
        try {
            async.dispatch();
        } catch (IllegalStateException e) {
            // The request already ended (client gone, container shutting down): nobody to answer.
        }
    }

    /** Called by the servlet when its first dispatch ends. */
    void firstDispatchEnded() {
        inFirstDispatch = false;
    }

    /** Called by the servlet in the dispatch that {@link #reply} asked for: writes the stored reply. */
    void writeDispatchedReply(HttpServletResponse response) {
        HttpReply reply = dispatchedReply;
        if (reply != null) {
            write(response, reply);
        }
    }

    private static void write(HttpServletResponse response, HttpReply reply) {
        try {
            response.setStatus(reply.status());
            PollReplyHeaders.of(reply).forEach(response::setHeader);
            if (reply.contentType() != null) {
                response.setContentType(reply.contentType());
            }
            response.setContentLength(reply.body().length);
            if (reply.body().length > 0) {
                response.getOutputStream().write(reply.body());
            }
        } catch (IOException | IllegalStateException e) {
            // The client went away; nothing more to tell it.
        }
    }

    private void complete() {
        try {
            async.complete();
        } catch (IllegalStateException ignored) {
            // already completed by the container after an error
        }
    }

    @Override
    public void onAbort(Runnable callback) {
        abortCallback = callback;
        if (aborted.get() && !answered.get()) {
            callback.run();
        }
    }

    private void abort() {
        aborted.set(true);
        Runnable callback = abortCallback;
        if (callback != null && !answered.get()) {
            callback.run();
        }
    }
}
