package dev.switchboard.bench.chaos;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * A Kafka broker in KRaft mode (broker and controller in one process) from the {@code kafka_2.13} artifact,
 * in a JVM of its own, as the backplane-kafka tests start it.
 *
 * <p>A Kafka client learns the broker's address from the broker itself: it bootstraps on the address it is
 * given, then connects to the listener the broker <em>advertises</em>. A node that bootstrapped through its
 * proxy would otherwise bypass the proxy after the first metadata answer, and a partition would cut nothing
 * but the bootstrap. So the broker has one listener per node ({@code N1}, {@code N2}, …), each on a port of its
 * own and advertised as that node's proxy port: a broker answers metadata with the addresses of the listener
 * the request came in on, so node i only ever learns (and reconnects to) its own proxy. A fourth listener,
 * {@code INTERNAL} and not proxied, is the inter-broker one and the soak's readiness probe; {@code CONTROLLER}
 * is KRaft's.
 *
 * <p>Durability, as the soak's Redis has it ({@code appendfsync always}): the broker flushes a partition's log to
 * disk after every append, before it answers the produce ({@code log.flush.interval.messages=1}), so an
 * acknowledged record is on disk, not only in the page cache, when the broker is killed. By default Kafka never
 * fsyncs and counts on its other replicas; this broker has none, and killed at load 100 it came back without the
 * tail of logs it had acknowledged (the Kafka findings of docs/reliability.md). KRaft's metadata log needs nothing:
 * the controller flushes it before it commits a record.
 *
 * <p>A wipe deletes the log directory (the data and KRaft's metadata log) and puts back the freshly formatted one
 * kept at start (same cluster id): every topic is created again with a new id, which is the epoch.
 */
final class KafkaServer extends ServerProcess {
    private Path config;
    private int controllerPort;
    private int[] nodePorts = new int[0];
    private List<Integer> advertised = List.of();

    @Override
    public String name() {
        return "kafka";
    }

    @Override
    public void proxiedBy(List<Integer> proxyPorts) {
        advertised = List.copyOf(proxyPorts);
    }

    @Override
    protected void prepare() throws Exception {
        this.config = dir.resolve("server.properties");
        this.controllerPort = Processes.freePort();
        nodePorts = new int[advertised.size()];
        for (int i = 0; i < nodePorts.length; i++) {
            nodePorts[i] = Processes.freePort();
        }
        Files.writeString(config, properties());
        format();
    }

    private String properties() {
        List<String> listeners = new ArrayList<>(List.of("INTERNAL://127.0.0.1:" + port,
                "CONTROLLER://127.0.0.1:" + controllerPort));
        List<String> ads = new ArrayList<>(List.of("INTERNAL://127.0.0.1:" + port));
        List<String> protocols = new ArrayList<>(List.of("INTERNAL:PLAINTEXT", "CONTROLLER:PLAINTEXT"));
        for (int i = 0; i < nodePorts.length; i++) {
            String name = "N" + (i + 1);
            listeners.add(name + "://127.0.0.1:" + nodePorts[i]);
            ads.add(name + "://127.0.0.1:" + advertised.get(i));
            protocols.add(name + ":PLAINTEXT");
        }
        return String.join("\n",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                "listeners=" + String.join(",", listeners),
                "advertised.listeners=" + String.join(",", ads),
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=INTERNAL",
                "listener.security.protocol.map=" + String.join(",", protocols),
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
                "auto.create.topics.enable=true",
                "log.retention.check.interval.ms=1000",
                "log.flush.interval.messages=1",
                "");
    }

    /** Formats the log directory once and keeps a copy of it, which a wipe puts back. */
    private void format() throws Exception {
        Process p = java("kafka.tools.StorageTool", "format", "-t", clusterId(), "-c", config.toString(),
                "--ignore-formatted");
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            Processes.kill9(p);
            throw new IllegalStateException("formatting the Kafka log directory failed: see " + dir.resolve("kafka.log"));
        }
        copy(dir.resolve("data"), dir.resolve("formatted"));
    }

    @Override
    protected void launch() throws Exception {
        process = java("kafka.Kafka", config.toString());
        Processes.await("Kafka broker on " + port, process, this::answers);
    }

    private Process java(String mainClass, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Nodes.java(), "-Xms64m", "-Xmx384m", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "-Xss512k", "-Djava.awt.headless=true",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-Dorg.slf4j.simpleLogger.showDateTime=true",
                "-Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS", "-cp", Nodes.classpath(), mainClass));
        cmd.addAll(List.of(args));
        return Processes.start(cmd, dir.resolve("kafka.log"));
    }

    @Override
    public int port(int node) {
        return nodePorts[node];
    }

    @Override
    public String nodeUri(int proxyPort) {
        return "kafka://127.0.0.1:" + proxyPort;
    }

    /** The log directory as formatted at start (same cluster id), without a topic. */
    @Override
    protected void deleteData() throws IOException {
        Processes.deleteRecursively(dir.resolve("data"));
        copy(dir.resolve("formatted"), dir.resolve("data"));
    }

    @Override
    protected String processName() {
        return "Kafka broker";
    }

    private boolean answers() {
        if (!accepts()) {
            return false;
        }
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + port,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000))) {
            admin.describeCluster().nodes().get(3, TimeUnit.SECONDS);
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path p : paths.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    /** @return a Kafka cluster id: 16 random bytes in URL-safe base64, not starting with '-' (an option) */
    private static String clusterId() {
        while (true) {
            UUID u = UUID.randomUUID();
            ByteBuffer b = ByteBuffer.allocate(16).putLong(u.getMostSignificantBits()).putLong(u.getLeastSignificantBits());
            String id = Base64.getUrlEncoder().withoutPadding().encodeToString(b.array());
            if (id.charAt(0) != '-') {
                return id;
            }
        }
    }
}
