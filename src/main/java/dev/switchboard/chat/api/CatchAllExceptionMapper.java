package dev.switchboard.chat.api;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** Anything unexpected: logged here with its stack trace, a bare 500 problem to the client. */
@Provider
public class CatchAllExceptionMapper implements ExceptionMapper<Throwable> {
    private static final System.Logger LOG = System.getLogger(CatchAllExceptionMapper.class.getName());

    @Override
    public Response toResponse(Throwable e) {
        LOG.log(System.Logger.Level.ERROR, "unexpected failure in the REST API", e);
        return Problems.response(Problems.of(500, Problems.codeFor(500), null));
    }
}
