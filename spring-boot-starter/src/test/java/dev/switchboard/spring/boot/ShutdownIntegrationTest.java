package dev.switchboard.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.client.CloseStatus;
import dev.switchboard.spring.boot.app.TestApp;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.servlet.context.ServletWebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Closing the application context drains the node: every client is closed with 1012 ("service restart") and
 * the node's disconnect handlers run, before the web server stops. On every container.
 */
@Tag("containers")
class ShutdownIntegrationTest {

    @Test
    void closingTheContextDrainsEveryClientWith1012() throws Exception {
        ConfigurableApplicationContext context = new SpringApplicationBuilder(TestApp.class)
                .properties("server.port=0", "server.shutdown=graceful").run();
        int port = ((ServletWebServerApplicationContext) context).getWebServer().getPort();
        TestApp app = context.getBean(TestApp.class);
        Recorder alice = Recorder.connect(Recorder.options(port, "alice").reconnect(false).build(), "greeting");
        Recorder bob = Recorder.connect(Recorder.options(port, "bob").reconnect(false).build(), "greeting");
        alice.next();
        bob.next();

        context.close();

        CloseStatus a = alice.client.closeFuture().get(30, TimeUnit.SECONDS);
        CloseStatus b = bob.client.closeFuture().get(30, TimeUnit.SECONDS);
        assertThat(a.code()).isEqualTo(1012);
        assertThat(a.reason()).isEqualTo("service restart");
        assertThat(b.code()).isEqualTo(1012);
        assertThat(app.disconnects).containsExactlyInAnyOrder("alice:1012", "bob:1012");
    }
}
