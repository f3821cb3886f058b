package dev.switchboard.backplane.kafka;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * A real Kafka broker in KRaft mode (broker and controller in one process) started by the tests from the
 * {@code kafka_2.13} artifact on the test class path, in a JVM of its own on 127.0.0.1 and free ports, so
 * that it can be killed ({@code SIGKILL}, as a crash) and started again on the same data directory and
 * ports. No Docker, no download.
 *
 * <p>{@link #shared()} is one broker for every test class of the module (started once, ~5 s), unless
 * {@code SWITCHBOARD_TEST_KAFKA_BOOTSTRAP} names an external broker, which the tests then use instead and
 * never stop. {@link #own()} is a broker of the calling test alone, which it may also {@link #wipe()}.
 */
public final class KafkaBroker implements AutoCloseable {
    /** The external broker's bootstrap servers, or {@code null}. */
    static final String EXTERNAL = System.getenv("SWITCHBOARD_TEST_KAFKA_BOOTSTRAP");
    private static KafkaBroker shared;

    private final Path dir;
    private final int port;
    private final int controllerPort;
    private final Path config;
    private final String clusterId = clusterId();
    private Process process;
    /** True for a broker of one test ({@link #own()}): closing it deletes its directory. */
    private boolean ownedByOneTest;
    private boolean autoCreateTopics = true;

    private KafkaBroker(Path dir) {
        this.dir = dir;
        this.port = freePort();
        this.controllerPort = freePort();
        this.config = dir.resolve("server.properties");
    }

    /** @return the module's broker, started on first use and stopped when the test JVM exits */
    static synchronized KafkaBroker shared() {
        if (shared == null) {
            try {
                shared = new KafkaBroker(Files.createTempDirectory("switchboard-kafka-"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            shared.format();
            shared.start();
            KafkaBroker b = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                b.kill();
                deleteTree(b.dir);
            }, "kafka-broker-stop"));
        }
        return shared;
    }

    /**
     * @return a broker of the caller's own, started, on its own directory and ports; {@link #close()} stops it
     *     and deletes its directory
     */
    public static KafkaBroker own() {
        return own(true);
    }

    /**
     * @param autoCreateTopics the broker's {@code auto.create.topics.enable}: true (Kafka's default) creates a
     *     topic that a producer or consumer names; false, as many production clusters run, leaves it missing
     * @return a broker of the caller's own, as {@link #own()}
     */
    public static KafkaBroker own(boolean autoCreateTopics) {
        KafkaBroker b;
        try {
            b = new KafkaBroker(Files.createTempDirectory("switchboard-kafka-own-"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        b.autoCreateTopics = autoCreateTopics;
        b.format();
        b.ownedByOneTest = true;
        return b.start();
    }

    /**
     * A server that comes back empty: kills the broker with SIGKILL, deletes its log directory (every topic and
     * KRaft's metadata log), formats it again with the same cluster id and starts the broker on the same ports.
     * Every topic created again afterwards has a new id.
     */
    public synchronized void wipe() {
        kill();
        deleteTree(dir.resolve("data"));
        format();
        start();
    }

    /** @return the bootstrap servers the tests use: the external broker's, else the shared one's */
    static String bootstrap() {
        return EXTERNAL != null && !EXTERNAL.isBlank() ? EXTERNAL : shared().bootstrapServers();
    }

    /** @return true when the tests run against a broker they own (and may kill) */
    static boolean owned() {
        return EXTERNAL == null || EXTERNAL.isBlank();
    }

    /** @return this broker's bootstrap servers */
    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    private void format() {
        try {
            Files.writeString(config, String.join("\n",
                    "process.roles=broker,controller",
                    "node.id=1",
                    "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                    "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                    "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                    "controller.listener.names=CONTROLLER",
                    "inter.broker.listener.name=PLAINTEXT",
                    "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                    "log.dirs=" + dir.resolve("data"),
                    "num.partitions=1",
                    "num.network.threads=2",
                    "num.io.threads=2",
                    "offsets.topic.replication.factor=1",
                    "offsets.topic.num.partitions=1",
                    "transaction.state.log.replication.factor=1",
                    "transaction.state.log.min.isr=1",
                    "share.coordinator.state.topic.replication.factor=1",
                    "share.coordinator.state.topic.min.isr=1",
                    "group.initial.rebalance.delay.ms=0",
                    "auto.create.topics.enable=" + autoCreateTopics,
                    "log.retention.check.interval.ms=1000",
                    ""));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Process p = java("kafka.tools.StorageTool", "format", "-t", clusterId, "-c", config.toString(),
                "--ignore-formatted");
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IllegalStateException("kafka-storage format failed: " + log());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Starts the broker (again, on the same data directory and ports) and waits until it answers. */
    synchronized KafkaBroker start() {
        if (process != null && process.isAlive()) {
            return this;
        }
        process = java("kafka.Kafka", config.toString());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!answers()) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the Kafka broker exited (" + process.exitValue() + "): " + log());
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the Kafka broker on port " + port + " did not start: " + log());
            }
        }
        return this;
    }

    /** Kills the broker with SIGKILL and waits until it is gone; its data directory stays. */
    synchronized void kill() {
        if (process != null) {
            process.destroyForcibly();
            try {
                process.waitFor(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void close() {
        kill();
        if (ownedByOneTest) {
            deleteTree(dir);
        }
    }

    private Process java(String mainClass, String... args) {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xms64m", "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss512k",
                "-Djava.awt.headless=true",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-Dorg.slf4j.simpleLogger.showDateTime=true", "-cp", cp, mainClass));
        cmd.addAll(List.of(args));
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("broker.log").toFile()));
            return pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private boolean answers() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
        } catch (IOException e) {
            sleepBriefly();
            return false;
        }
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000))) {
            admin.describeCluster().nodes().get(3, TimeUnit.SECONDS);
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    private String log() {
        try {
            String s = Files.readString(dir.resolve("broker.log"));
            return s.length() > 4000 ? s.substring(s.length() - 4000) : s;
        } catch (IOException e) {
            return e.toString();
        }
    }

    private static String clusterId() {
        // A Kafka cluster id is 16 random bytes in URL-safe base64 without padding; one that starts with
        // '-' would read as an option on the command line.
        while (true) {
            UUID u = UUID.randomUUID();
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(16);
            b.putLong(u.getMostSignificantBits()).putLong(u.getLeastSignificantBits());
            String id = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(b.array());
            if (id.charAt(0) != '-') {
                return id;
            }
        }
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteTree(Path root) {
        File[] files = root.toFile().listFiles();
        if (files != null) {
            for (File f : files) {
                if (f.isDirectory()) {
                    deleteTree(f.toPath());
                } else if (!f.delete()) {
                    f.deleteOnExit();
                }
            }
        }
        root.toFile().delete();
    }

    private static void sleepBriefly() {
        // Polling a process that is starting: no event to wait on.
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** @return how long tests wait for things that involve the broker */
    static Duration timeout() {
        return Duration.ofSeconds(30);
    }
}
