package dev.switchboard.examples.boot;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.client.ClientOptions;
import dev.switchboard.client.SwitchboardClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/** The sample as a user meets it: the page, the JS client, the chat, "who is here", Actuator's health. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ChatApplicationTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @LocalServerPort
    int port;

    private HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private SwitchboardClient join(String name, BlockingQueue<String> lines) {
        SwitchboardClient c = SwitchboardClient.create(ClientOptions.builder(URI.create("ws://127.0.0.1:" + port + "/ws?name=" + name))
                .connectTimeout(Duration.ofSeconds(30)).build());
        c.on(ChatHandlers.MESSAGE, String.class, (text, topic) -> lines.add(text));
        c.connect().orTimeout(30, TimeUnit.SECONDS).join();
        return c;
    }

    private static String next(BlockingQueue<String> lines) throws InterruptedException {
        String line = lines.poll(30, TimeUnit.SECONDS);
        assertThat(line).as("a chat line within 10 s").isNotNull();
        return line;
    }

    @Test
    void thePageAndTheJavaScriptClientAreServed() throws Exception {
        assertThat(get("/").body()).contains("import { connect } from \"/switchboard.js\"");
        assertThat(get("/switchboard.js").statusCode()).isEqualTo(200);
    }

    @Test
    void twoPeopleChatAndSeeWhoIsHere() throws Exception {
        BlockingQueue<String> alice = new LinkedBlockingQueue<>();
        BlockingQueue<String> bob = new LinkedBlockingQueue<>();
        try (SwitchboardClient a = join("alice", alice)) {
            assertThat(next(alice)).startsWith("Hi alice!");
            assertThat(next(alice)).isEqualTo("alice joined");
            try (SwitchboardClient b = join("bob", bob)) {
                assertThat(next(alice)).isEqualTo("bob joined");
                b.emit("chat.send", "hello");
                assertThat(next(alice)).isEqualTo("bob: hello");
                JsonNode who = a.request("who", null).get(30, TimeUnit.SECONDS);
                assertThat(who.path("names").toString()).isEqualTo("[\"alice\",\"bob\"]");
            }
        }
    }

    @Test
    void withoutANameTheUpgradeIsRefused() throws Exception {
        var failed = SwitchboardClient.connect(URI.create("ws://127.0.0.1:" + port + "/ws"));
        assertThat(failed).failsWithin(30, TimeUnit.SECONDS)
                .withThrowableThat().withMessageContaining("HTTP 401");
    }

    @Test
    void actuatorReportsTheNode() throws Exception {
        HttpResponse<String> health = get("/actuator/health/switchboard");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"status\":\"UP\"").contains("\"backplane\"");
    }
}
