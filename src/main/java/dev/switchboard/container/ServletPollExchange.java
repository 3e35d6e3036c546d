package dev.switchboard.container;

import dev.switchboard.engineio.Scheduler;
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
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/** A polling request as the engine's port: an async servlet request, answered once, possibly from another thread. */
final class ServletPollExchange implements PollExchange {
    private final HttpServletRequest request;
    private final AsyncContext async;
    private final HttpRequestInfo info;
    private final AtomicBoolean answered = new AtomicBoolean();
    private final AtomicBoolean aborted = new AtomicBoolean();
    private volatile Runnable abortCallback;
    private final Thread serviceThread = Thread.currentThread();
    private final Scheduler scheduler;
    private final Object dispatchLock = new Object();
    private boolean inService = true;
    private long serviceReturnedNanos;
    private HttpReply deferred;

    /**
     * Payara recycles the response when an async request completes; if that happens on another thread while the
     * dispatching thread is still inside the container (even just after service() returned), the container's own
     * epilogue fails on the recycled response. So a reply from another thread during service() is handed back to
     * the dispatching thread, and one arriving right after service() returned is put off by a moment.
     */
    private static final long EXIT_GRACE_NANOS = 10_000_000;

    ServletPollExchange(HttpServletRequest request, HttpServletResponse response, Scheduler scheduler) {
        this.scheduler = scheduler;
        this.request = request;
        this.info = RequestInfos.of(request);
        this.async = request.startAsync(request, response);
        // The engine ends held GETs itself (next ping, close); the container must not time them out first.
        this.async.setTimeout(0);
        // Registered now, while the request is ours: once answered, the container recycles the request object and
        // touching it (even to add a listener) corrupts whichever request reuses it.
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
        if (Thread.currentThread() != serviceThread) {
            synchronized (dispatchLock) {
                if (inService) {
                    deferred = reply;
                    return;
                }
                long sinceExit = System.nanoTime() - serviceReturnedNanos;
                if (sinceExit < EXIT_GRACE_NANOS) {
                    scheduler.schedule(() -> write(reply), 1 + (EXIT_GRACE_NANOS - sinceExit) / 1_000_000);
                    return;
                }
            }
        }
        write(reply);
    }

    /** Called by the servlet as its service() ends, on the dispatching thread. */
    void serviceReturning() {
        HttpReply pending;
        synchronized (dispatchLock) {
            pending = deferred;
            deferred = null;
            inService = false;
            serviceReturnedNanos = System.nanoTime();
        }
        if (pending != null) {
            write(pending);
        }
    }

    private void write(HttpReply reply) {
        HttpServletResponse response = (HttpServletResponse) async.getResponse();
        try {
            response.setStatus(reply.status());
            for (Map.Entry<String, String> h : reply.headers().entrySet()) {
                response.setHeader(h.getKey(), h.getValue());
            }
            response.setHeader("Cache-Control", "no-store");
            response.setHeader("X-Content-Type-Options", "nosniff");
            if (reply.contentType() != null) {
                response.setContentType(reply.contentType());
            }
            response.setContentLength(reply.body().length);
            if (reply.body().length > 0) {
                response.getOutputStream().write(reply.body());
            }
        } catch (IOException | IllegalStateException e) {
            // The client went away; nothing more to tell it.
        } finally {
            try {
                async.complete();
            } catch (IllegalStateException ignored) {
                // already completed by the container after an error
            }
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
