package dev.switchboard.chat.api;

import dev.switchboard.chat.application.ChatErrorCode;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.Locale;

/** Builds problem-details responses. The code is a {@link ChatErrorCode} name where one fits, else the status name. */
public final class Problems {
    public static final String MEDIA_TYPE = "application/problem+json";
    public static final MediaType PROBLEM_JSON = new MediaType("application", "problem+json");
    private static final String TYPE_PREFIX = "urn:switchboard:problem:";

    private Problems() {
    }

    public static Problem of(ChatErrorCode code, String detail) {
        return of(code.httpStatus(), code.name(), detail);
    }

    public static Problem of(int status, String code, String detail) {
        return new Problem(TYPE_PREFIX + code.toLowerCase(Locale.ROOT).replace('_', '-'), title(code), status,
                detail, code);
    }

    /** The code for a bare HTTP status: the chat's code where it has one, else the status's reason in CAPS. */
    public static String codeFor(int status) {
        return switch (status) {
            case 400 -> ChatErrorCode.INVALID_PAYLOAD.name();
            case 401 -> ChatErrorCode.UNAUTHORIZED.name();
            case 403 -> ChatErrorCode.FORBIDDEN.name();
            case 409 -> ChatErrorCode.CONFLICT.name();
            case 413 -> ChatErrorCode.PAYLOAD_TOO_LARGE.name();
            case 429 -> ChatErrorCode.RATE_LIMITED.name();
            case 503 -> ChatErrorCode.STORAGE_UNAVAILABLE.name();
            default -> {
                Response.Status known = Response.Status.fromStatusCode(status);
                yield known == null ? "HTTP_" + status
                        : known.getReasonPhrase().toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]+", "_");
            }
        };
    }

    public static Response response(ChatErrorCode code, String detail) {
        return response(of(code, detail));
    }

    public static Response response(Problem problem) {
        Response.ResponseBuilder r = Response.status(problem.status()).type(PROBLEM_JSON).entity(problem);
        if (problem.status() == 401) {
            r.header("WWW-Authenticate", "Bearer");
        }
        return r.build();
    }

    static String title(String code) {
        String words = code.toLowerCase(Locale.ROOT).replace('_', ' ');
        return Character.toUpperCase(words.charAt(0)) + words.substring(1);
    }
}
