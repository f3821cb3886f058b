package dev.switchboard.transport.jetty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.SwitchboardException;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The plain HTTP side of the transport: {@code /health}, static files, the bundled JS client, start-up errors. */
class HttpSurfaceIntegrationTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final List<AutoCloseable> resources = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
    }

    private JettyTransport start(EchoAcceptor acceptor, JettyTransportOptions.Builder options) {
        JettyTransport t = JettyTransport.start(acceptor, options.host("127.0.0.1").port(0).build());
        resources.add(t);
        return t;
    }

    private JettyTransport start(EchoAcceptor acceptor) {
        return start(acceptor, JettyTransportOptions.builder());
    }

    @Test
    void servesStaticFilesFromAJarOnTheClasspath(@TempDir Path dir) throws Exception {
        Path jar = dir.resolve("pages.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            out.putNextEntry(new JarEntry("jarweb/"));
            out.putNextEntry(new JarEntry("jarweb/hello.txt"));
            out.write("packaged\n".getBytes(StandardCharsets.UTF_8));
        }
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, previous)) {
            Thread.currentThread().setContextClassLoader(loader);
            JettyTransport transport = start(new EchoAcceptor(), JettyTransportOptions.builder().staticClasspath("jarweb"));
            Thread.currentThread().setContextClassLoader(previous);

            HttpResponse<String> response = get(transport, "/hello.txt");

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("packaged\n");
            assertThat(get(transport, "/switchboard.js").statusCode()).isEqualTo(200);
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
    }

    @Test
    void healthReportsUpForPlainAcceptor() throws Exception {
        JettyTransport transport = start(new EchoAcceptor());

        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(transport.httpUri().resolve("/health")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
        assertThat(MAPPER.readTree(response.body())).isEqualTo(MAPPER.readTree("{\"status\":\"UP\"}"));
    }

    @Test
    void servesStaticFilesAndBundledClient(@TempDir Path web) throws Exception {
        Files.writeString(web.resolve("index.html"), "<h1>hello</h1>");
        JettyTransport transport = start(new EchoAcceptor(), JettyTransportOptions.builder()
                .staticFiles(web).staticClasspath("test-static"));

        HttpResponse<String> index = get(transport, "/");
        assertThat(index.statusCode()).isEqualTo(200);
        assertThat(index.body()).isEqualTo("<h1>hello</h1>");
        assertThat(index.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/html"));

        HttpResponse<String> fromJar = get(transport, "/page.txt");
        assertThat(fromJar.statusCode()).isEqualTo(200);
        assertThat(fromJar.body()).isEqualTo("from the classpath\n");

        HttpResponse<String> js = get(transport, "/switchboard.js");
        assertThat(js.statusCode()).isEqualTo(200);
        assertThat(js.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/javascript"));
        assertThat(js.body()).isEqualTo(Files.readString(Path.of("../client-js/switchboard.js")));

        assertThat(get(transport, "/missing.html").statusCode()).isEqualTo(404);
        assertThat(get(transport, "/../pom.xml").statusCode()).isIn(400, 404);
    }

    /**
     * A symlink inside the static root that points outside it (a file, a directory, a link chained
     * through a link, {@code /etc/passwd}) is never followed: 404, while files inside the root are served.
     */
    @Test
    void neverFollowsASymlinkOutOfTheStaticRoot(@TempDir Path dir) throws Exception {
        Path web = Files.createDirectories(dir.resolve("web"));
        Path outside = Files.createDirectories(dir.resolve("outside"));
        Files.writeString(outside.resolve("secret.txt"), "top secret\n");
        Files.writeString(web.resolve("index.html"), "<h1>hello</h1>");
        Files.createSymbolicLink(web.resolve("leak.txt"), outside.resolve("secret.txt"));
        Files.createSymbolicLink(web.resolve("out"), outside);
        Files.createSymbolicLink(web.resolve("chain.txt"), web.resolve("leak.txt"));
        Files.createSymbolicLink(web.resolve("passwd"), Path.of("/etc/passwd"));
        Files.createSymbolicLink(web.resolve("home.html"), web.resolve("index.html"));
        JettyTransport transport = start(new EchoAcceptor(), JettyTransportOptions.builder().staticFiles(web));

        assertThat(get(transport, "/index.html").statusCode()).isEqualTo(200);
        // A link that stays inside the root is fine.
        assertThat(get(transport, "/home.html").body()).isEqualTo("<h1>hello</h1>");
        for (String path : List.of("/leak.txt", "/out/secret.txt", "/chain.txt", "/passwd", "/out/")) {
            HttpResponse<String> response = get(transport, path);
            assertThat(response.statusCode()).as(path).isEqualTo(404);
            assertThat(response.body()).as(path).doesNotContain("top secret").doesNotContain("root:");
        }
    }

    @Test
    void servesTheApplicationsOwnServlets() throws Exception {
        JettyTransport transport = start(new EchoAcceptor(), JettyTransportOptions.builder()
                .servlet("/hello", new jakarta.servlet.http.HttpServlet() {
                    @Override
                    protected void doGet(jakarta.servlet.http.HttpServletRequest req,
                                         jakarta.servlet.http.HttpServletResponse resp) throws java.io.IOException {
                        resp.setContentType("text/plain");
                        resp.getWriter().print("hi " + req.getParameter("who"));
                    }
                }));
        HttpResponse<String> response = get(transport, "/hello?who=me");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("hi me");
        assertThat(get(transport, "/health").statusCode()).isEqualTo(200);
    }

    @Test
    void servesBundledClientWithoutAnyStaticRoot() throws Exception {
        JettyTransport transport = start(new EchoAcceptor());

        HttpResponse<String> js = get(transport, "/switchboard.js");

        assertThat(js.statusCode()).isEqualTo(200);
        assertThat(js.body()).contains("export");
    }

    @Test
    void portInUseFailsWithUnavailable() {
        JettyTransport first = start(new EchoAcceptor());
        JettyTransportOptions clash = JettyTransportOptions.builder().host("127.0.0.1").port(first.port()).build();

        assertThatThrownBy(() -> JettyTransport.start(new EchoAcceptor(), clash))
                .isInstanceOf(SwitchboardException.class)
                .hasMessageContaining(String.valueOf(first.port()));
    }

    @Test
    void missingStaticRootIsRejected(@TempDir Path dir) {
        JettyTransportOptions options = JettyTransportOptions.builder().port(0).staticFiles(dir.resolve("nope")).build();

        assertThatThrownBy(() -> JettyTransport.start(new EchoAcceptor(), options))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("nope");
    }

    private static HttpResponse<String> get(JettyTransport transport, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(transport.httpUri() + path.substring(1))).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
