package dev.switchboard.spring.boot.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;

import dev.switchboard.spi.EncodedFrame;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;

/**
 * The fallback writer for a container that is neither Jetty nor a Jakarta one (no such container exists in
 * the tests, so Spring's session is simulated), and close reasons cut to what RFC 6455 allows.
 */
class FrameWritersTest {
    private final Executor direct = Runnable::run;

    @Test
    void aSessionWithoutANativeJettyOrJakartaSessionGetsSpringsBlockingSendOffThread() throws Exception {
        WebSocketSession session = mock(WebSocketSession.class);
        FrameWriter writer = FrameWriters.forSession(session, direct);
        assertThat(writer.kind()).isEqualTo("spring");

        CompletableFuture<Throwable> done = new CompletableFuture<>();
        writer.send(EncodedFrame.ofText("{\"type\":\"ping\"}"), t -> done.complete(t));
        assertThat(done.get(1, TimeUnit.SECONDS)).isNull();
        verify(session).sendMessage(new TextMessage("{\"type\":\"ping\"}"));

        IOException broken = new IOException("broken pipe");
        doThrow(broken).when(session).sendMessage(any());
        CompletableFuture<Throwable> failed = new CompletableFuture<>();
        writer.send(EncodedFrame.ofText("{}"), t -> failed.complete(t));
        assertThat(failed.get(1, TimeUnit.SECONDS)).isSameAs(broken);

        assertThat(writer.sendBatch(java.util.List.of(), t -> { })).as("no batching: one send after the other").isFalse();
        writer.close(1001, "server shutting down");
        verify(session).close(new CloseStatus(1001, "server shutting down"));
    }

    @Test
    void aRefusedExecutorFailsTheSendInsteadOfLosingIt() throws Exception {
        FrameWriter writer = FrameWriters.forSession(mock(WebSocketSession.class), task -> {
            throw new java.util.concurrent.RejectedExecutionException("shut down");
        });
        CompletableFuture<Throwable> done = new CompletableFuture<>();
        writer.send(EncodedFrame.ofText("{}"), t -> done.complete(t));
        assertThat(done.get(1, TimeUnit.SECONDS)).isInstanceOf(java.util.concurrent.RejectedExecutionException.class);
    }

    @Test
    void closeReasonsAreCutTo123BytesOnACharacterBoundary() {
        assertThat(FrameWriter.truncate("short")).isEqualTo("short");
        String euros = "€".repeat(50); // 3 bytes each: 150 bytes
        String cut = FrameWriter.truncate(euros);
        assertThat(cut.getBytes(StandardCharsets.UTF_8).length).isEqualTo(123);
        assertThat(cut).isEqualTo("€".repeat(41));
        String mixed = "a" + "€".repeat(50);
        assertThat(FrameWriter.truncate(mixed)).isEqualTo("a" + "€".repeat(40));
    }
}
