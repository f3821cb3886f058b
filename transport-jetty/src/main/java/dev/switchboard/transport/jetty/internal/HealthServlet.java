package dev.switchboard.transport.jetty.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.Switchboard;
import dev.switchboard.spi.BackplaneHealth;
import dev.switchboard.spi.SessionAcceptor;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * {@code GET /health}: liveness and readiness for load balancers and orchestrators.
 *
 * <pre>{@code
 * 200 {"status":"UP","node":"n-1","connections":12,
 *      "backplane":{"up":true,"name":"redis","detail":"","dropped":0},
 *      "cluster":{"nodes":["n-1","n-2"],"rejected":0,"untrusted":0}}
 * 503 {"status":"DOWN",...}   when the backplane is down (the node still serves its own clients)
 * 503 {"status":"DRAINING",...}   while the node drains for a shutdown ({@link Switchboard#drain})
 * }</pre>
 *
 * <p>For an acceptor that is not a {@link Switchboard} node only {@code {"status":"UP"}} is reported.
 * Runs on a Jetty request thread; it reads the connection count and asks the backplane for its
 * {@link Switchboard#backplaneHealth()}, which the core answers from the backplane's last known state.
 */
public final class HealthServlet extends HttpServlet {
    private final transient SessionAcceptor acceptor;

    /** @param acceptor the core whose state is reported */
    public HealthServlet(SessionAcceptor acceptor) {
        this.acceptor = acceptor;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        ObjectNode body = JsonResponses.MAPPER.createObjectNode();
        boolean up = true;
        if (acceptor instanceof Switchboard board) {
            BackplaneHealth backplane = board.backplaneHealth();
            up = backplane.up() && !board.isDraining();
            body.put("status", board.isDraining() ? "DRAINING" : up ? "UP" : "DOWN");
            body.put("node", board.nodeId());
            body.put("connections", board.connectionCount());
            ObjectNode b = body.putObject("backplane");
            b.put("up", backplane.up());
            b.put("name", backplane.name());
            b.put("detail", backplane.detail());
            b.put("dropped", backplane.droppedMessages());
            ObjectNode cluster = body.putObject("cluster");
            board.cluster().nodes().forEach(cluster.putArray("nodes")::add);
            cluster.put("rejected", board.cluster().rejectedMessages());
            cluster.put("untrusted", board.cluster().untrustedMessages());
        } else {
            body.put("status", "UP");
        }
        JsonResponses.write(response, up ? HttpServletResponse.SC_OK : HttpServletResponse.SC_SERVICE_UNAVAILABLE, body);
    }
}
