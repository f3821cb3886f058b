package dev.switchboard.bench.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The soak's JavaScript subscribers: one Node.js process ({@code subscribers.mjs}) running the real
 * {@code switchboard.js}, fetched from a node as browsers get it, with Node 20's built-in WebSocket. Its
 * output, one JSON record per line, is parsed into the {@link Checker} as it comes.
 */
final class JsSubscribers implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private Process process;
    private CountDownLatch ready;
    private final AtomicReference<CompletableFuture<Set<String>>> openQuery = new AtomicReference<>();
    private volatile String failure;

    /** @return the {@code node} executable on the PATH, if any */
    static Optional<String> node() {
        for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            File f = new File(d, "node");
            if (f.canExecute()) {
                return Optional.of(f.getAbsolutePath());
            }
        }
        return Optional.empty();
    }

    /**
     * Starts the process and blocks until every subscriber has its first replies.
     *
     * @param dir where the client module, the script and the process's errors go
     * @param httpBase a node's {@code http://host:port}, which serves {@code /switchboard.js}
     * @param ws the clients' proxy
     * @param plan subscriber id to topics
     * @param checker gets every record
     * @throws Exception when Node.js is missing, the client cannot be fetched or a subscriber fails
     */
    void start(Path dir, String httpBase, URI ws, Map<String, List<String>> plan, Checker checker) throws Exception {
        String node = node().orElseThrow(() -> new IllegalStateException("Node.js is not on the PATH"));
        Path client = dir.resolve("switchboard.js");
        HttpResponse<Path> got = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(httpBase + "/switchboard.js")).build(),
                HttpResponse.BodyHandlers.ofFile(client));
        if (got.statusCode() != 200) {
            throw new IllegalStateException("GET " + httpBase + "/switchboard.js: HTTP " + got.statusCode());
        }
        Path script = dir.resolve("subscribers.mjs");
        try (InputStream in = JsSubscribers.class.getResourceAsStream("subscribers.mjs")) {
            Files.write(script, in.readAllBytes());
        }
        ready = new CountDownLatch(plan.size());
        process = new ProcessBuilder(node, "--experimental-websocket", "--no-warnings", script.toString(),
                client.toUri().toString(), ws.toString(), JSON.writeValueAsString(plan))
                .redirectError(ProcessBuilder.Redirect.appendTo(dir.resolve("js-subscribers.err").toFile()))
                .start();
        Thread reader = new Thread(() -> read(checker), "chaos-js-reader");
        reader.setDaemon(true);
        reader.start();
        if (!ready.await(120, TimeUnit.SECONDS) || failure != null) {
            throw new IllegalStateException("JS subscribers did not start: " + (failure != null ? failure
                    : ready.getCount() + " not ready; see " + dir.resolve("js-subscribers.err")));
        }
    }

    private void read(Checker checker) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                JsonNode r = JSON.readTree(line);
                switch (r.path("k").asText()) {
                    case "r" -> checker.reply(r.get("c").asText(), r.get("t").asText(), text(r.get("e")),
                            number(r.get("o")), r.path("r").asBoolean(), r.path("x").asBoolean(),
                            r.path("on").asText("?"));
                    case "e" -> checker.event(r.get("c").asText(), r.get("t").asText(), number(r.get("o")),
                            r.path("p").asText(), r.path("s").asLong(), r.path("n").asText());
                    case "ready" -> ready.countDown();
                    case "failed" -> {
                        failure = r.get("c").asText() + ": " + r.path("error").asText();
                        ready.countDown();
                    }
                    case "open" -> {
                        Set<String> ids = new HashSet<>();
                        r.get("ids").forEach(id -> ids.add(id.asText()));
                        CompletableFuture<Set<String>> q = openQuery.getAndSet(null);
                        if (q != null) {
                            q.complete(ids);
                        }
                    }
                    default -> { }
                }
            }
        } catch (IOException e) {
            failure = "reading the JS subscribers' output: " + e;
        }
    }

    private static String text(JsonNode n) {
        return n == null || n.isNull() ? null : n.asText();
    }

    private static Long number(JsonNode n) {
        return n == null || n.isNull() ? null : n.asLong();
    }

    /** @return the ids of the subscribers whose client is open now */
    Set<String> open() throws Exception {
        CompletableFuture<Set<String>> q = new CompletableFuture<>();
        openQuery.set(q);
        OutputStream in = process.getOutputStream();
        in.write("open\n".getBytes(StandardCharsets.US_ASCII));
        in.flush();
        return q.get(20, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        if (process != null) {
            try {
                process.getOutputStream().close();
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (IOException e) {
                process.destroyForcibly();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }
}
