package dev.switchboard.container;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;
import org.eclipse.microprofile.health.Startup;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code /health}, {@code /health/live}, {@code /health/ready}, {@code /health/started}: the application's
 * MicroProfile Health checks ({@code @Liveness}, {@code @Readiness}, {@code @Startup} beans) in the MicroProfile
 * Health JSON format, 200 when all are UP, 503 otherwise. Payara Micro 7 ships MicroProfile Health but does not
 * mount its endpoint into a WAR deployed at the root context, so the application serves its own checks; if Payara's
 * endpoint is enabled (full Payara Server), it finds the same beans.
 */
@WebServlet(urlPatterns = {"/health", "/health/*"})
public class HealthServlet extends HttpServlet {
    private static final System.Logger LOG = System.getLogger(HealthServlet.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    @Liveness
    transient Instance<HealthCheck> liveness;

    @Inject
    @Readiness
    transient Instance<HealthCheck> readiness;

    @Inject
    @Startup
    transient Instance<HealthCheck> startup;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String kind = request.getPathInfo() == null ? "" : request.getPathInfo();
        List<HealthCheck> checks = new ArrayList<>();
        switch (kind) {
            case "", "/" -> {
                liveness.forEach(checks::add);
                readiness.forEach(checks::add);
                startup.forEach(checks::add);
            }
            case "/live" -> liveness.forEach(checks::add);
            case "/ready" -> readiness.forEach(checks::add);
            case "/started" -> startup.forEach(checks::add);
            default -> {
                response.sendError(404);
                return;
            }
        }
        ObjectNode body = JSON.createObjectNode();
        ArrayNode out = JSON.createArrayNode();
        boolean up = true;
        for (HealthCheck check : checks) {
            HealthCheckResponse r = call(check);
            up &= r.getStatus() == HealthCheckResponse.Status.UP;
            ObjectNode c = out.addObject().put("name", r.getName()).put("status", r.getStatus().name());
            r.getData().filter(d -> !d.isEmpty()).ifPresent(d -> c.set("data", JSON.valueToTree(d)));
        }
        body.put("status", up ? "UP" : "DOWN");
        body.set("checks", out);
        byte[] bytes = JSON.writeValueAsBytes(body);
        response.setStatus(up ? 200 : 503);
        response.setContentType("application/json");
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.setHeader("Cache-Control", "no-store");
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }

    private static HealthCheckResponse call(HealthCheck check) {
        try {
            return check.call();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "health check {0} failed: {1}", check.getClass().getName(),
                    e.toString());
            return HealthCheckResponse.named(check.getClass().getSimpleName()).down()
                    .withData("error", e.getClass().getSimpleName()).build();
        }
    }

}
