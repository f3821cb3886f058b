package dev.switchboard.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.switchboard.spring.boot.app.TestApp;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The real JavaScript client ({@code client-js}, in Node.js with its built-in WebSocket) against the Boot
 * application: {@code src/test/resources/js/boot-client.mjs} does the client side and its checks. Skipped
 * with a message where Node.js is not installed.
 */
@Tag("containers")
@SpringBootTest(classes = TestApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class JsClientIntegrationTest {

    @LocalServerPort
    int port;

    @Test
    void theJavaScriptClientTalksToTheBootApplication() throws Exception {
        String node = node();
        assumeTrue(node != null, "Node.js is not installed: skipping the JS client's test against Spring Boot");
        Path client = Path.of("..", "client-js", "switchboard.js").toAbsolutePath().normalize();
        assumeTrue(Files.isRegularFile(client), "client-js/switchboard.js not found next to spring-boot-starter/");
        Path script = Path.of(JsClientIntegrationTest.class.getResource("/js/boot-client.mjs").toURI());

        Path log = Files.createTempFile("boot-js", ".log");
        Process p = new ProcessBuilder(node, "--experimental-websocket", script.toString(), client.toUri().toString(),
                "ws://127.0.0.1:" + port + "/ws")
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        boolean finished = p.waitFor(120, TimeUnit.SECONDS);
        if (!finished) {
            p.destroyForcibly();
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(finished).as("the script finished in time:%n%s", output).isTrue();
        assertThat(p.exitValue()).as("script output:%n%s", output).isZero();
        assertThat(output).contains("{\"ok\":true}");
    }

    private static String node() {
        String path = System.getenv("PATH");
        for (String dir : path == null ? new String[0] : path.split(File.pathSeparator)) {
            File f = new File(dir, "node");
            if (f.canExecute()) {
                return f.getAbsolutePath();
            }
        }
        return null;
    }
}
