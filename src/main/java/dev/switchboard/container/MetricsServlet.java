package dev.switchboard.container;

import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** {@code GET /metrics}: every metric in the Prometheus text format 0.0.4. */
@WebServlet(urlPatterns = "/metrics")
public class MetricsServlet extends HttpServlet {
    @Inject
    transient SwitchboardMetrics metrics;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        byte[] body = metrics.registry().scrape().getBytes(StandardCharsets.UTF_8);
        response.setStatus(200);
        response.setContentType(MetricsRegistry.CONTENT_TYPE);
        response.setHeader("Cache-Control", "no-store");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}
