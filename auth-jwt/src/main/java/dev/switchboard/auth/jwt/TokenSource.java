package dev.switchboard.auth.jwt;

/** Where {@link JwtAuthenticator} looks for the token of a WebSocket upgrade, in this order. */
public enum TokenSource {
    /** {@code Authorization: Bearer <token>}: servers and the Java client. */
    AUTHORIZATION_HEADER,
    /**
     * An offered sub-protocol {@code access_token.<token>}: browsers, without the token appearing in
     * URLs or access logs (the JS client's {@code tokenIn: "protocol"}).
     */
    SUB_PROTOCOL,
    /** The {@code access_token} query parameter: browsers; the URL may end up in proxy and access logs. */
    QUERY_PARAMETER
}
