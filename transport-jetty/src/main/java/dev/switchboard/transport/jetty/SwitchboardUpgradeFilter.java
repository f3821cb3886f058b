package dev.switchboard.transport.jetty;

import dev.switchboard.spi.HandshakeRefusedException;
import dev.switchboard.spi.Handshake;
import dev.switchboard.spi.SessionAcceptor;
import dev.switchboard.transport.jetty.internal.Handshakes;
import dev.switchboard.transport.jetty.internal.JsonResponses;
import dev.switchboard.transport.jetty.internal.PendingUpgrade;
import dev.switchboard.transport.jetty.internal.UpgradeGate;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A servlet filter that authenticates Switchboard WebSocket upgrades before the container upgrades them,
 * so a refused client gets a plain HTTP 401 or 403 (with a JSON body
 * {@code {"error":{"code":"unauthorized","message":...}}}) on any servlet container. Map it to
 * {@code /*} ahead of the container's WebSocket filter; it only acts on WebSocket upgrade requests whose
 * path matches the endpoint's, and lets everything else through untouched.
 *
 * <p>The checks themselves (authentication and the rest) are the same ones the embedded transport runs:
 * see {@code UpgradeGate}. An accepted upgrade's identity is handed to the endpoint configuration from
 * {@link SwitchboardEndpointConfig#create} on the same thread, so the authenticator runs once per
 * upgrade. Without this filter the configuration authenticates by itself; Jetty still answers a refusal
 * with 401/403, other containers may not.
 *
 * <p>Threading: runs on the container's request thread, which the authenticator may briefly block.
 */
public final class SwitchboardUpgradeFilter implements Filter {
    private static final Logger log = LoggerFactory.getLogger(SwitchboardUpgradeFilter.class);

    private final UpgradeGate gate;

    /**
     * @param acceptor the core, the same one given to {@link SwitchboardEndpointConfig#create}
     * @param path the endpoint path within the servlet context, the same one as the endpoint's
     */
    public SwitchboardUpgradeFilter(SessionAcceptor acceptor, String path) {
        this(acceptor, path, List.of());
    }

    /**
     * @param acceptor the core, the same one given to {@link SwitchboardEndpointConfig#create}
     * @param path the endpoint path within the servlet context, the same one as the endpoint's
     * @param allowedOrigins browser origins that may connect, exact or with {@code *} patterns (see
     *     {@link JettyTransportOptions#allowedOrigins()}); others get 403 before the upgrade; empty
     *     allows any origin
     */
    public SwitchboardUpgradeFilter(SessionAcceptor acceptor, String path, List<String> allowedOrigins) {
        this.gate = new UpgradeGate(Objects.requireNonNull(acceptor, "acceptor"), path, allowedOrigins);
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        if (!(req instanceof HttpServletRequest request) || !(res instanceof HttpServletResponse response)
                || !isUpgradeFor(request)) {
            chain.doFilter(req, res);
            return;
        }
        Handshake handshake = Handshakes.fromServlet(request);
        PendingUpgrade upgrade;
        try {
            upgrade = gate.admit(handshake);
        } catch (HandshakeRefusedException e) {
            refuse(response, e);
            return;
        }
        PendingUpgrade.offer(upgrade);
        try {
            chain.doFilter(req, res);
        } finally {
            PendingUpgrade.clear();
        }
    }

    private boolean isUpgradeFor(HttpServletRequest request) {
        if (!"GET".equals(request.getMethod()) || !"websocket".equalsIgnoreCase(request.getHeader("Upgrade"))) {
            return false;
        }
        String raw = request.getRequestURI();
        String context = request.getContextPath();
        String inContext = context != null && !context.isEmpty() && raw.startsWith(context)
                ? raw.substring(context.length()) : raw;
        return gate.matches(Handshakes.decodePath(inContext.isEmpty() ? "/" : inContext));
    }

    private static void refuse(HttpServletResponse response, HandshakeRefusedException e) throws IOException {
        int status = e.httpStatus();
        log.debug("Refused WebSocket upgrade: {} {}", status, e.getMessage());
        if (status == HttpServletResponse.SC_UNAUTHORIZED) {
            response.setHeader("WWW-Authenticate", "Bearer");
        }
        if (e.retryAfter() != null) {
            response.setHeader("Retry-After", Long.toString(Math.max(1, e.retryAfter().toSeconds())));
        }
        JsonResponses.error(response, status, e.code(), e.getMessage());
    }
}
