package dev.switchboard.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.switchboard.Switchboard;
import dev.switchboard.examples.auth.DemoLogin;
import dev.switchboard.transport.jetty.JettyTransport;
import dev.switchboard.transport.jetty.JettyTransportOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The real JavaScript client (Node.js) against a real node that accepts only signed demo tokens of 6 s:
 * its token function is asked again before each expiry and the fresh token is sent in-band, so the
 * connection is never closed (no 4001). Skipped with a message where Node.js is not installed.
 */
class JsTokenRefreshTest {

    @Test
    void theJavaScriptClientRefreshesItsTokenInBand() throws Exception {
        String node = NodeJs.find();
        assumeTrue(node != null, "Node.js is not installed: skipping the JS client's token refresh test");
        Path clientJs = Path.of("..", "client-js", "switchboard.js").toAbsolutePath().normalize();
        assumeTrue(Files.isRegularFile(clientJs), "client-js/switchboard.js not found next to examples/");

        DemoLogin login = new DemoLogin(Duration.ofSeconds(6));
        try (Switchboard board = Switchboard.builder().authenticator(login.authenticator()).build()) {
            board.onRequest("whoami", (conn, data) -> conn.identity().userId());
            try (JettyTransport t = JettyTransport.start(board, JettyTransportOptions.builder().host("127.0.0.1").port(0)
                    .servlet(DemoLogin.PATH, login.servlet()).build())) {
                Path script = Path.of(JsTokenRefreshTest.class.getResource("/js/token-refresh.mjs").toURI());
                Path log = Files.createTempFile("js-token-refresh", ".log");
                Process p = new ProcessBuilder(node, "--experimental-websocket", script.toString(),
                        clientJs.toUri().toString(), "ws://127.0.0.1:" + t.port() + "/ws",
                        "http://127.0.0.1:" + t.port() + DemoLogin.PATH)
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile())
                        .start();
                boolean finished = p.waitFor(90, TimeUnit.SECONDS);
                if (!finished) {
                    p.destroyForcibly();
                }
                String output = Files.readString(log, StandardCharsets.UTF_8);
                assertThat(finished).as("the script finished in time:%n%s", output).isTrue();
                assertThat(p.exitValue()).as("script output:%n%s", output).isZero();
                assertThat(output).contains("\"ok\":true");
            }
        }
    }
}
