package dev.switchboard.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.spring.boot.app.TestApp;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.servlet.context.ServletWebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * {@code switchboard.allowed-origins} follows the rule of every Switchboard transport (the Jetty transport's
 * {@code HardeningIntegrationTest} checks the same cases): a list replaces the same-origin default, {@code *}
 * allows any origin, a request without {@code Origin} always passes. On every container.
 */
@Tag("containers")
@SpringBootTest(classes = TestApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "switchboard.allowed-origins=https://app.example.com, https://*.example.org, http://localhost:*")
class OriginsIntegrationTest {

    @LocalServerPort
    int port;

    private int status(String origin) throws Exception {
        return RawHttp.upgrade(port, "/ws?access_token=alice", origin == null ? "" : "Origin: " + origin + "\r\n").status();
    }

    @Test
    void onlyListedOriginsMayUpgrade() throws Exception {
        for (String allowed : List.of("https://app.example.com", "HTTPS://APP.example.com", "https://a.b.example.org",
                "http://localhost:8080")) {
            assertThat(status(allowed)).as(allowed).isEqualTo(101);
        }
        assertThat(status(null)).as("not a browser").isEqualTo(101);
        for (String refused : List.of("https://evil.example", "https://app.example.com.evil.example", "null",
                "https://example.org", "http://localhost", "https://app.example.com:8443", "http://app.example.com",
                // a list replaces the same-origin default: the application's own origin is not listed
                "http://127.0.0.1:" + port)) {
            RawHttp r = RawHttp.upgrade(port, "/ws?access_token=alice", "Origin: " + refused + "\r\n");
            assertThat(r.status()).as(refused).isEqualTo(403);
            assertThat(r.body()).contains("origin not allowed");
        }
    }

    @Test
    void aStarAllowsEveryOrigin() throws Exception {
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(TestApp.class)
                .properties("server.port=0", "switchboard.allowed-origins=*").run()) {
            int any = ((ServletWebServerApplicationContext) context).getWebServer().getPort();
            assertThat(RawHttp.upgrade(any, "/ws?access_token=alice", "Origin: https://elsewhere.example\r\n").status())
                    .isEqualTo(101);
        }
    }
}
