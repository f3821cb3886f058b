package dev.switchboard.transport.jetty;

import dev.switchboard.spi.HandshakeRefusedException;
import dev.switchboard.spi.Handshake;
import dev.switchboard.spi.SessionAcceptor;
import dev.switchboard.transport.internal.Handshakes;
import dev.switchboard.transport.internal.PendingUpgrade;
import dev.switchboard.transport.internal.Refusal;
import dev.switchboard.transport.internal.ServletHandshakes;
import dev.switchboard.transport.internal.UpgradeGate;
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
     *     (browsers may connect from the same origin only)
     */
    public SwitchboardUpgradeFilter(SessionAcceptor acceptor, String path) {
        this(acceptor, path, List.of());
    }

    /**
     * @param acceptor the core, the same one given to {@link SwitchboardEndpointConfig#create}
     * @param path the endpoint path within the servlet context, the same one as the endpoint's
     * @param allowedOrigins browser origins that may connect, exact or with {@code *} patterns (see
     *     {@link JettyTransportOptions#allowedOrigins()}), or {@code *} for any; others get 403 before
     *     the upgrade; empty allows the same origin only
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
        Handshake handshake = ServletHandshakes.from(request);
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
        log.debug("Refused WebSocket upgrade: {} {}", e.httpStatus(), e.getMessage());
        Refusal refusal = Refusal.of(e);
        response.setStatus(refusal.status());
        refusal.headers().forEach(response::setHeader);
        response.setContentLength(refusal.body().length);
        response.getOutputStream().write(refusal.body());
    }
}
