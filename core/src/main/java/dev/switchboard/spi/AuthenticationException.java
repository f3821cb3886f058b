package dev.switchboard.spi;

import dev.switchboard.ErrorCode;

/**
 * Thrown by an {@link Authenticator} to refuse a handshake. Transports answer the upgrade request
 * with HTTP 401 ({@link ErrorCode#UNAUTHORIZED}) or 403 ({@link ErrorCode#FORBIDDEN}) before upgrading.
 */
public class AuthenticationException extends HandshakeRefusedException {

    private AuthenticationException(ErrorCode code, String message) {
        super(code, code == ErrorCode.FORBIDDEN ? 403 : 401, null, message);
    }

    /** @param message why @return a refusal for missing or invalid credentials (HTTP 401) */
    public static AuthenticationException unauthorized(String message) {
        return new AuthenticationException(ErrorCode.UNAUTHORIZED, message);
    }

    /** @param message why @return a refusal for valid credentials that may not connect (HTTP 403) */
    public static AuthenticationException forbidden(String message) {
        return new AuthenticationException(ErrorCode.FORBIDDEN, message);
    }
}
