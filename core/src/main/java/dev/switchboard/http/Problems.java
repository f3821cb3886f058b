package dev.switchboard.http;

import dev.switchboard.ErrorCode;
import dev.switchboard.Identity;
import dev.switchboard.spi.AuthenticationException;

/** The answers the services share: refusals by method, credentials, media type and size. */
final class Problems {

    private Problems() {
    }

    static HttpResponse methodNotAllowed(HttpRequest request) {
        return HttpResponse.problem(405, ErrorCode.BAD_REQUEST, request.method() + " is not allowed here: use POST",
                null).withHeader("Allow", "POST");
    }

    static HttpResponse tooLarge(int max) {
        return HttpResponse.problem(413, ErrorCode.TOO_LARGE, "the body exceeds " + max + " bytes", null);
    }

    static HttpResponse unsupportedMediaType(HttpRequest request, String accepted) {
        String got = request.contentType() == null ? "no Content-Type" : "Content-Type " + request.contentType();
        return HttpResponse.problem(415, ErrorCode.BAD_REQUEST, got + " is not accepted: send " + accepted, null)
                .withHeader("Accept-Post", accepted);
    }

    /**
     * @return the caller, or null after writing the refusal into {@code refusal[0]}
     */
    static Identity authorize(HttpAuthorizer authorizer, HttpRequest request, HttpResponse[] refusal) {
        try {
            Identity who = authorizer.authorize(request);
            return who == null ? Identity.anonymous() : who;
        } catch (AuthenticationException e) {
            HttpResponse r = HttpResponse.problem(e.httpStatus(), e.code(), e.getMessage(), null);
            refusal[0] = e.httpStatus() == 401 ? r.withHeader("WWW-Authenticate", "Bearer") : r;
            return null;
        }
    }
}
