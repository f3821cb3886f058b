package dev.switchboard.transport.jetty;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HTTPS and WSS with a key store made by the JDK's keytool for this test. */
class TlsIntegrationTest {
    private static final String PASSWORD = "changeit";

    @Test
    void servesWssAndHttps(@TempDir Path dir) throws Exception {
        Path keyStore = dir.resolve("server.p12");
        generateKeyStore(keyStore);
        HttpClient client = HttpClient.newBuilder().sslContext(trusting(keyStore)).build();
        EchoAcceptor acceptor = new EchoAcceptor();

        try (JettyTransport transport = JettyTransport.start(acceptor, JettyTransportOptions.builder()
                .host("localhost").port(0).tls(keyStore, PASSWORD).build())) {
            assertThat(transport.uri().getScheme()).isEqualTo("wss");
            assertThat(transport.httpUri().getScheme()).isEqualTo("https");

            try (RecordingClient ws = RecordingClient.Builder.with(transport.uri(), client).connect()) {
                ws.assertFrame("welcome");
                ws.send("{\"type\":\"pong\"}");
                ws.assertFrame("pong");
            }
            HttpResponse<String> health = client.send(HttpRequest.newBuilder(transport.httpUri().resolve("/health"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
        }
    }

    private static void generateKeyStore(Path keyStore) throws Exception {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process p = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "server", "-keyalg", "EC",
                "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "2",
                "-storetype", "PKCS12", "-keystore", keyStore.toString(),
                "-storepass", PASSWORD, "-keypass", PASSWORD)
                .redirectErrorStream(true).start();
        String output;
        try (InputStream in = p.getInputStream()) {
            output = new String(in.readAllBytes());
        }
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("keytool finished").isTrue();
        assertThat(p.exitValue()).as("keytool: %s", output).isZero();
        assertThat(Files.size(keyStore)).isPositive();
    }

    private static SSLContext trusting(Path keyStore) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStore)) {
            ks.load(in, PASSWORD.toCharArray());
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        return ssl;
    }
}
