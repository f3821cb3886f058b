package dev.switchboard.transport.jetty;

import dev.switchboard.ErrorCode;
import dev.switchboard.Identity;
import dev.switchboard.spi.AuthenticationException;
import dev.switchboard.spi.Handshake;
import dev.switchboard.spi.PathTemplate;
import dev.switchboard.spi.SessionAcceptor;
import dev.switchboard.transport.jetty.internal.Handshakes;
import dev.switchboard.transport.jetty.internal.JsonResponses;
import dev.switchboard.transport.jetty.internal.PendingUpgrade;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
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
 * <p>An accepted upgrade's identity is handed to the endpoint configuration from
 * {@link SwitchboardEndpointConfig#create} on the same thread, so the authenticator runs once per
 * upgrade. Without this filter the configuration authenticates by itself; Jetty still answers a refusal
 * with 401/403, other containers may not.
 *
 * <p>Threading: runs on the container's request thread, which the authenticator may briefly block.
 */
public final class SwitchboardUpgradeFilter implements Filter {
    private static final Logger log = LoggerFactory.getLogger(SwitchboardUpgradeFilter.class);

    private final SessionAcceptor acceptor;
    private final PathTemplate path;

    /**
     * @param acceptor the core, the same one given to {@link SwitchboardEndpointConfig#create}
     * @param path the endpoint path within the servlet context, the same one as the endpoint's
     */
    public SwitchboardUpgradeFilter(SessionAcceptor acceptor, String path) {
        this.acceptor = Objects.requireNonNull(acceptor, "acceptor");
        this.path = PathTemplate.of(path);
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
        Identity identity;
        try {
            identity = acceptor.authenticate(handshake);
        } catch (AuthenticationException e) {
            refuse(response, e.httpStatus(), e.code(), e.getMessage());
            return;
        }
        PendingUpgrade.offer(new PendingUpgrade(handshake, identity));
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
        return path.matches(Handshakes.decodePath(inContext.isEmpty() ? "/" : inContext));
    }

    private static void refuse(HttpServletResponse response, int status, ErrorCode code, String message)
            throws IOException {
        log.debug("Refused WebSocket upgrade: {} {}", status, message);
        if (status == HttpServletResponse.SC_UNAUTHORIZED) {
            response.setHeader("WWW-Authenticate", "Bearer");
        }
        JsonResponses.error(response, status, code, message);
    }
}
