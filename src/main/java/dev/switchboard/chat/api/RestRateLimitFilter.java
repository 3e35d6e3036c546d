package dev.switchboard.chat.api;

import dev.switchboard.chat.application.ChatErrorCode;
import dev.switchboard.chat.application.RateLimits;
import dev.switchboard.chat.infrastructure.ChatMetrics;
import dev.switchboard.chat.infrastructure.ChatSettings;
import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;

import java.security.Principal;

/**
 * Per-user REST rate limits, keyed by the verified token's name: every authenticated call counts against
 * {@code switchboard.chat.rest-rate-limit.requests}, and the {@link WriteLimited} methods also against
 * {@code .writes}, per {@code .window-ms}. Cluster-wide when the cluster runs on Redis. Over a limit: 429 problem
 * details RATE_LIMITED with {@code retry_after_ms} and a {@code Retry-After} header; the resource never runs, so
 * nothing is stored. Anonymous calls (the dev token endpoint) are not counted here.
 */
@Provider
@Priority(Priorities.AUTHORIZATION + 100)
public class RestRateLimitFilter implements ContainerRequestFilter {
    @Inject
    RateLimits limits;

    @Inject
    ChatSettings settings;

    @Inject
    ChatMetrics metrics;

    @Context
    ResourceInfo resource;

    @Override
    public void filter(ContainerRequestContext request) {
        Principal principal = request.getSecurityContext() == null ? null
                : request.getSecurityContext().getUserPrincipal();
        String user = principal == null ? null : principal.getName();
        if (user == null || user.isBlank()) {
            return;
        }
        long window = settings.restWindowMillis();
        long wait = limits.tryAcquire("rest:" + user, settings.restRequests(), window);
        if (wait == 0 && resource != null && resource.getResourceMethod() != null
                && resource.getResourceMethod().isAnnotationPresent(WriteLimited.class)) {
            wait = limits.tryAcquire("rest-write:" + user, settings.restWrites(), window);
        }
        if (wait > 0) {
            metrics.rateLimited();
            metrics.error(ChatErrorCode.RATE_LIMITED.name());
            request.abortWith(tooMany(wait));
        }
    }

    static Response tooMany(long waitMillis) {
        Problem base = Problems.of(ChatErrorCode.RATE_LIMITED, "too many requests; retry after " + waitMillis + " ms");
        Problem problem = new Problem(base.type(), base.title(), base.status(), base.detail(), base.code(), waitMillis);
        return Response.fromResponse(Problems.response(problem))
                .header("Retry-After", Long.toString(Math.max(1, (waitMillis + 999) / 1000))).build();
    }
}
