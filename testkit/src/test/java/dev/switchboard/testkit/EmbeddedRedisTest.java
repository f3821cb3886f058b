package dev.switchboard.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The embedded Redis answers on its port while it runs: for a test class, or until the test closes it. */
class EmbeddedRedisTest {
    @RegisterExtension
    static final EmbeddedRedis REDIS = EmbeddedRedis.perTestClass();

    private static String ping(int port) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            byte[] reply = new byte[7];
            int n = in.readNBytes(reply, 0, reply.length);
            return new String(reply, 0, n, StandardCharsets.US_ASCII);
        }
    }

    @Test
    void theClassesServerAnswersDuringItsTests() throws IOException {
        assertThat(REDIS.uri()).isEqualTo("redis://127.0.0.1:" + REDIS.port());
        assertThat(ping(REDIS.port())).isEqualTo("+PONG\r\n");
    }

    @Test
    void aServerTheTestStartsAnswersUntilItIsClosed() throws IOException {
        EmbeddedRedis redis = EmbeddedRedis.start();
        int port = redis.port();
        try {
            assertThat(port).isNotEqualTo(REDIS.port());
            assertThat(ping(port)).isEqualTo("+PONG\r\n");
        } finally {
            redis.close();
        }
        assertThatThrownBy(() -> ping(port)).isInstanceOf(ConnectException.class);
        assertThatThrownBy(redis::uri).isInstanceOf(IllegalStateException.class).hasMessageContaining("not running");
        redis.close(); // again: nothing
    }

    @Test
    void aServerNotStartedHasNoPort() {
        EmbeddedRedis redis = EmbeddedRedis.perTestClass();
        assertThatThrownBy(redis::port).isInstanceOf(IllegalStateException.class).hasMessageContaining("not running");
        redis.close();
    }
}
