package dev.switchboard.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Runs the JavaScript client's own test suite ({@code client-js/test}, Node's built-in test runner)
 * as part of {@code mvn verify}. Skipped with a message where Node.js is not installed.
 */
class JsClientTest {

    @Test
    void jsClientSuitePasses() throws Exception {
        Path clientJs = Path.of("..", "client-js").toAbsolutePath().normalize();
        assumeTrue(Files.isDirectory(clientJs.resolve("test")), "client-js/test not found next to examples/");
        String node = NodeJs.find();
        assumeTrue(node != null, "Node.js is not installed: skipping the JS client's node --test suite");

        Path log = Files.createTempFile("client-js-tests", ".log");
        Process p = new ProcessBuilder(node, "--test", "test/")
                .directory(clientJs.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        boolean finished = p.waitFor(120, TimeUnit.SECONDS);
        if (!finished) {
            p.destroyForcibly();
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(finished).as("node --test finished in time:%n%s", output).isTrue();
        assertThat(p.exitValue()).as("node --test output:%n%s", output).isZero();
        assertThat(output).contains("# fail 0").containsPattern("# pass [1-9]");
    }
}
