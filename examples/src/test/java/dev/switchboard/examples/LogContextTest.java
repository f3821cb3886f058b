package dev.switchboard.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.PlainEndpoint;
import dev.switchboard.Switchboard;
import dev.switchboard.SwitchboardOptions;
import dev.switchboard.transport.InMemoryClient;
import dev.switchboard.transport.InMemoryTransport;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/**
 * Application code run by the core sees the node's and the connection's ids in the SLF4J MDC. (Tested
 * here, where Logback is the logging backend: the other modules' tests log through slf4j-simple, whose MDC
 * keeps nothing.)
 */
class LogContextTest {
    private Switchboard board;

    @AfterEach
    void tearDown() {
        board.close();
    }

    private static Map<String, String> mdc() {
        return Map.of("node", String.valueOf(MDC.get("switchboard.node")),
                "connection", String.valueOf(MDC.get("switchboard.connection")));
    }

    @Test
    void handlersAndLifecycleCallbacksRunWithTheIdsInTheMdc() throws Exception {
        board = Switchboard.builder().options(SwitchboardOptions.builder().nodeId("n-7").build()).build();
        CompletableFuture<Map<String, String>> onConnect = new CompletableFuture<>();
        CompletableFuture<Map<String, String>> onEmit = new CompletableFuture<>();
        CompletableFuture<Map<String, String>> onRequest = new CompletableFuture<>();
        CompletableFuture<Map<String, String>> onText = new CompletableFuture<>();
        CompletableFuture<String> ids = new CompletableFuture<>();
        board.onConnect(conn -> {
            ids.complete(conn.id());
            onConnect.complete(mdc());
        });
        board.on("e", (conn, data) -> onEmit.complete(mdc()));
        board.onRequest("r", (conn, data) -> onRequest.complete(mdc()));
        board.plainEndpoint("/plain", PlainEndpoint.builder().onText((conn, text) -> onText.complete(
                Map.of("expected", conn.id(), "connection", String.valueOf(MDC.get("switchboard.connection")))))
                .build());

        InMemoryClient client = InMemoryTransport.attach(board).connect();
        client.send("{\"type\":\"emit\",\"event\":\"e\",\"data\":1}");
        client.send("{\"type\":\"request\",\"id\":1,\"event\":\"r\",\"data\":1}");
        String id = ids.get(2, TimeUnit.SECONDS);
        Map<String, String> expected = Map.of("node", "n-7", "connection", id);
        assertThat(onConnect.get(2, TimeUnit.SECONDS)).isEqualTo(expected);
        assertThat(onEmit.get(2, TimeUnit.SECONDS)).isEqualTo(expected);
        assertThat(onRequest.get(2, TimeUnit.SECONDS)).isEqualTo(expected);

        InMemoryClient plain = InMemoryTransport.attach(board.plainEndpoints().get("/plain"))
                .connect(dev.switchboard.spi.Handshake.of("/plain"));
        plain.send("hi");
        Map<String, String> seen = onText.get(2, TimeUnit.SECONDS);
        assertThat(seen.get("connection")).isEqualTo(seen.get("expected"));
        assertThat(MDC.get("switchboard.connection")).as("the test thread's MDC is untouched").isNull();
    }

    @Test
    void aHandlerOfATracedRequestHasTheTraceAndSpanIdsInTheMdc() throws Exception {
        board = Switchboard.builder().build();
        CompletableFuture<Map<String, String>> onRequest = new CompletableFuture<>();
        board.onRequest("r", (conn, data) -> onRequest.complete(Map.of(
                "trace", String.valueOf(MDC.get("trace_id")), "span", String.valueOf(MDC.get("span_id")))));

        InMemoryClient client = InMemoryTransport.attach(board).connect();
        client.send("{\"type\":\"request\",\"id\":1,\"event\":\"r\","
                + "\"traceparent\":\"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01\"}");

        assertThat(onRequest.get(2, TimeUnit.SECONDS)).isEqualTo(
                Map.of("trace", "4bf92f3577b34da6a3ce929d0e0e4736", "span", "00f067aa0ba902b7"));
        assertThat(MDC.get("trace_id")).as("the test thread's MDC is untouched").isNull();
    }
}
