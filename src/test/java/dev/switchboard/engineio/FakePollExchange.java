package dev.switchboard.engineio;

import dev.switchboard.engineio.transport.HttpReply;
import dev.switchboard.engineio.transport.HttpRequestInfo;
import dev.switchboard.engineio.transport.PollExchange;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A polling request: records every reply (the engine must answer exactly once) and lets a test abort it. */
public final class FakePollExchange implements PollExchange {
    private final HttpRequestInfo request;
    private final byte[] body;
    public final List<HttpReply> replies = new ArrayList<>();
    Runnable abortCallback;
    public int bodyReads;

    public FakePollExchange(HttpRequestInfo request, byte[] body) {
        this.request = request;
        this.body = body == null ? new byte[0] : body;
    }

    @Override public HttpRequestInfo request() { return request; }

    @Override
    public byte[] readBody(int maxBytes) throws PayloadTooLargeException {
        bodyReads++;
        if (body.length > maxBytes) {
            throw new PayloadTooLargeException();
        }
        return body.clone();
    }

    @Override
    public synchronized void reply(HttpReply reply) {
        replies.add(reply);
    }

    @Override
    public void onAbort(Runnable callback) {
        this.abortCallback = callback;
    }

    public void abort() {
        if (abortCallback != null) {
            abortCallback.run();
        }
    }

    public boolean answered() {
        return !replies.isEmpty();
    }

    /** The single reply; fails if there is none or more than one. */
    public HttpReply reply() {
        if (replies.size() != 1) {
            throw new AssertionError("expected exactly one reply, got " + replies.size() + ": " + replies);
        }
        return replies.get(0);
    }

    public int status() {
        return reply().status();
    }

    public String bodyText() {
        return new String(reply().body(), StandardCharsets.UTF_8);
    }
}
