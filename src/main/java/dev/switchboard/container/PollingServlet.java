package dev.switchboard.container;

import dev.switchboard.engineio.EngineServer;
import dev.switchboard.engineio.transport.HttpReply;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The HTTP long-polling transport of one Engine.IO endpoint: every request becomes an async exchange handed to the
 * engine, which answers it now or holds it. A held request answered later comes back here as an ASYNC dispatch to
 * write its reply (see {@link ServletPollExchange}). By default the listener's own polling transport
 * ({@link GrizzlyEngineFilter}) answers first; this servlet serves what it leaves (HTTP/2, {@code Expect: 100-continue},
 * {@code switchboard.polling.server=servlet}, a server where the filter cannot install). WebSocket upgrades on the same
 * path never reach it.
 */
final class PollingServlet extends HttpServlet {
    private static final System.Logger LOG = System.getLogger(PollingServlet.class.getName());
    private final transient EngineServer engine;
    private final transient ClientAddresses addresses;

    PollingServlet(EngineServer engine, ClientAddresses addresses) {
        this.engine = engine;
        this.addresses = addresses;
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) {
        if (request.getDispatcherType() == DispatcherType.ASYNC) {
            if (request.getAttribute(ServletPollExchange.ATTRIBUTE) instanceof ServletPollExchange held) {
                held.writeDispatchedReply(response);
            }
            return;
        }
        ServletPollExchange exchange = new ServletPollExchange(request, response, addresses);
        try {
            engine.handlePolling(exchange);
        } catch (RuntimeException e) {
            // Never a stack trace to the client: log it, answer a protocol error unless already answered.
            LOG.log(System.Logger.Level.WARNING, "polling request failed", e);
            exchange.reply(HttpReply.json(400, "{\"code\":3,\"message\":\"Bad request\"}"));
        } finally {
            exchange.firstDispatchEnded();
        }
    }
}
