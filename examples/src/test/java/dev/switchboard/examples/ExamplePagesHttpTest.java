package dev.switchboard.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.examples.board.BoardExample;
import dev.switchboard.examples.chat.ChatExample;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/**
 * What a browser and an API client see around both example pages: the page, a favicon (no 404 in the
 * browser's console), and JSON rather than Jetty's HTML error page for an API client's mistake.
 */
class ExamplePagesHttpTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static HttpResponse<String> get(int port, String path, String accept) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).header("Accept", accept).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static void check(int port) throws Exception {
        assertThat(get(port, "/", "text/html").statusCode()).isEqualTo(200);
        assertThat(get(port, "/favicon.ico", "image/*,*/*").statusCode()).isEqualTo(200);
        HttpResponse<String> missing = get(port, "/api/no-such-endpoint", "*/*");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.headers().firstValue("content-type").orElse("")).startsWith("application/json");
        assertThat(missing.body()).contains("\"not_found\"");
    }

    @Test
    void theChatPageHasAFaviconAndJsonErrors() throws Exception {
        try (ChatExample chat = ChatExample.start(0)) {
            check(chat.port());
        }
    }

    @Test
    void theBoardPageHasAFaviconAndJsonErrors() throws Exception {
        try (BoardExample board = BoardExample.start(Settings.local(0))) {
            check(board.port());
        }
    }
}
