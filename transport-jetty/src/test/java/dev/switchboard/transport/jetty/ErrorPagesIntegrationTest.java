package dev.switchboard.transport.jetty;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Jetty's error pages answer API clients in JSON, and browsers still in HTML; every server has a favicon. */
class ErrorPagesIntegrationTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private JettyTransport transport;

    @BeforeEach
    void start() {
        transport = JettyTransport.start(new EchoAcceptor(), JettyTransportOptions.builder().host("127.0.0.1").port(0).build());
    }

    @AfterEach
    void stop() {
        transport.close();
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder at(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + transport.port() + path));
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        assertThat(r.headers().firstValue("content-type").orElse("")).startsWith("application/json");
        return new ObjectMapper().readTree(r.body());
    }

    @Test
    void anUnknownPathIsA404InJsonForAClientThatAcceptsAnything() throws Exception {
        HttpResponse<String> r = send(at("/api/nothing-here").header("Accept", "*/*"));
        assertThat(r.statusCode()).isEqualTo(404);
        JsonNode body = json(r);
        assertThat(body.path("error").path("code").asText()).isEqualTo("not_found");
        assertThat(body.path("status").asInt()).isEqualTo(404);
        assertThat(r.body()).doesNotContain("<html");
    }

    @Test
    void aWrongMethodIsA405InJsonForAJsonClient() throws Exception {
        HttpResponse<String> r = send(at("/health").header("Content-Type", "application/json")
                .header("Accept", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")));
        assertThat(r.statusCode()).isEqualTo(405);
        JsonNode body = json(r);
        assertThat(body.path("error").path("code").asText()).isEqualTo("bad_request");
        assertThat(body.path("status").asInt()).isEqualTo(405);
    }

    @Test
    void withoutAnAcceptHeaderTheAnswerIsJsonToo() throws Exception {
        HttpResponse<String> r = send(at("/missing"));
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(json(r).path("error").path("code").asText()).isEqualTo("not_found");
    }

    @Test
    void aBrowserAskingForHtmlStillGetsAPage() throws Exception {
        HttpResponse<String> r = send(at("/missing").header("Accept", "text/html,application/xhtml+xml,*/*;q=0.8"));
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.headers().firstValue("content-type").orElse("")).startsWith("text/html");
    }

    @Test
    void everyServerAnswersFaviconIco() throws Exception {
        HttpResponse<byte[]> r = HTTP.send(at("/favicon.ico").build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type").orElse("")).containsAnyOf("image/x-icon", "image/vnd.microsoft.icon");
        assertThat(r.body()).startsWith(0, 0, 1, 0); // an ICO header
    }
}
