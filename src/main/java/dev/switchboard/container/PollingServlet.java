package dev.switchboard.container;

import dev.switchboard.engineio.EngineServer;
import dev.switchboard.engineio.Scheduler;
import dev.switchboard.engineio.transport.HttpReply;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/**
 * The HTTP long-polling transport of one Engine.IO endpoint: every request becomes an async exchange handed to the
 * engine, which answers it now or holds it. WebSocket upgrades on the same path are taken by Tyrus before this.
 */
final class PollingServlet extends HttpServlet {
    private static final System.Logger LOG = System.getLogger(PollingServlet.class.getName());
    private final transient EngineServer engine;
    private final transient Scheduler scheduler;

    PollingServlet(EngineServer engine, Scheduler scheduler) {
        this.engine = engine;
        this.scheduler = scheduler;
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        ServletPollExchange exchange = new ServletPollExchange(request, response, scheduler);
        try {
            engine.handlePolling(exchange);
        } catch (RuntimeException e) {
            // Never a stack trace to the client: log it, answer a protocol error unless already answered.
            LOG.log(System.Logger.Level.WARNING, "polling request failed", e);
            exchange.reply(HttpReply.json(400, "{\"code\":3,\"message\":\"Bad request\"}"));
        } finally {
            exchange.serviceReturning();
        }
    }
}
