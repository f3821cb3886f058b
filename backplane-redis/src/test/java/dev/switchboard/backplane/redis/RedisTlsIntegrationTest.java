package dev.switchboard.backplane.redis;

import dev.switchboard.internal.BackplanePipeline;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.switchboard.Retention;
import dev.switchboard.testkit.Await;
import dev.switchboard.testkit.RecordingListener;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rediss://} against a Redis started by the test with TLS on a second port and a self-signed
 * certificate (made with {@code openssl}, trusted through {@code javax.net.ssl.trustStore}). Skipped where
 * {@code openssl}, {@code keytool} or a TLS-capable {@code redis-server} is missing.
 */
class RedisTlsIntegrationTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    @TempDir
    static Path dir;
    private static RedisProcess server;
    private static int tlsPort;
    private static String[] savedTrust;

    @BeforeAll
    static void startTlsRedis() throws Exception {
        RedisBinary binary = RedisBinary.onPath().orElse(null);
        assumeTrue(binary != null, "no redis-server on the PATH for the TLS test");
        assumeTrue(run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "key.pem", "-out",
                "cert.pem", "-days", "2", "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1"),
                "openssl cannot make a test certificate");
        assumeTrue(run(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(), "-importcert",
                "-noprompt", "-alias", "redis", "-file", "cert.pem", "-keystore", "trust.p12", "-storetype", "PKCS12",
                "-storepass", "changeit"), "keytool cannot make a trust store");
        tlsPort = RedisProcess.freePort();
        try {
            server = new RedisProcess(binary, dir, "--tls-port", Integer.toString(tlsPort), "--tls-cert-file", "cert.pem",
                    "--tls-key-file", "key.pem", "--tls-ca-cert-file", "cert.pem", "--tls-auth-clients", "no").start();
        } catch (IllegalStateException e) {
            assumeTrue(false, "this redis-server does not speak TLS: " + e.getMessage());
        }
        savedTrust = new String[] {System.getProperty("javax.net.ssl.trustStore"),
            System.getProperty("javax.net.ssl.trustStorePassword"), System.getProperty("javax.net.ssl.trustStoreType")};
        System.setProperty("javax.net.ssl.trustStore", dir.resolve("trust.p12").toString());
        System.setProperty("javax.net.ssl.trustStorePassword", "changeit");
        System.setProperty("javax.net.ssl.trustStoreType", "PKCS12");
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (savedTrust != null) {
            String[] keys = {"javax.net.ssl.trustStore", "javax.net.ssl.trustStorePassword", "javax.net.ssl.trustStoreType"};
            for (int i = 0; i < keys.length; i++) {
                if (savedTrust[i] == null) {
                    System.clearProperty(keys[i]);
                } else {
                    System.setProperty(keys[i], savedTrust[i]);
                }
            }
        }
    }

    private static boolean run(String... command) throws InterruptedException {
        try {
            Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("tools.log").toFile()).start();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    void publishesAndKeepsHistoryOverTls() throws Exception {
        String uri = "rediss://127.0.0.1:" + tlsPort + "?channelPrefix=tls";
        BackplanePipeline a = BackplanePipeline.of(RedisBackplane.create(uri));
        BackplanePipeline b = BackplanePipeline.of(RedisBackplane.create(uri));
        RecordingListener received = new RecordingListener();
        try {
            a.start("tls-a", m -> { });
            b.start("tls-b", received);
            Await.until(TIMEOUT, () -> a.health().up() && b.health().up(), "both up over TLS");
            a.publish("secret".getBytes(StandardCharsets.UTF_8));
            received.awaitMessage("secret", TIMEOUT);
            assertThat(a.history().orElseThrow().append("t", new byte[] {1}, Retention.lastMessages(1))
                    .get(10, TimeUnit.SECONDS).offset()).isEqualTo(1);
            RedisClient client = RedisClient.create();
            try (StatefulRedisConnection<String, String> c = client.connect(RedisURI.create(server.uri()))) {
                List<String> ours = c.sync().clientList().lines().filter(l -> l.contains("name=switchboard:tls-")).toList();
                assertThat(ours).hasSize(4).allSatisfy(l -> assertThat(l).contains("laddr=127.0.0.1:" + tlsPort));
            } finally {
                client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
            }
        } finally {
            a.close();
            b.close();
        }
    }
}
