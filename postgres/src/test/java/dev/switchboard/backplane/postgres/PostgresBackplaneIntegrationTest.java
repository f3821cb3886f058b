package dev.switchboard.backplane.postgres;

import dev.switchboard.internal.BackplanePipeline;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.PreparedMessage;
import dev.switchboard.Retention;
import dev.switchboard.backplane.postgres.internal.BackplaneSchema;
import dev.switchboard.testkit.Await;
import dev.switchboard.testkit.RecordingListener;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What the compatibility kit does not cover: the attachments path (1 MB messages, an attachment
 * deleted before it was read, the scheduled cleanup), foreign payloads on the channel, the bounded
 * publish queue, and schema creation (concurrent, and skipped in favour of the shipped script).
 */
class PostgresBackplaneIntegrationTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private final String prefix = "it_" + UUID.randomUUID().toString().substring(0, 8);
    private final List<BackplanePipeline> created = new ArrayList<>();

    TestPostgres server() {
        return TestPostgres.embedded();
    }

    private PostgresBackplaneOptions.Builder options() {
        TestPostgres s = server();
        return PostgresBackplaneOptions.builder().url(s.jdbcUrl()).user(s.user()).password(s.password())
                .channelPrefix(prefix).tablePrefix(prefix);
    }

    private static PostgresBackplane pg(BackplanePipeline b) {
        return (PostgresBackplane) b.adapter();
    }

    private BackplanePipeline started(String node, PostgresBackplaneOptions options, Consumer<byte[]> listener) {
        BackplanePipeline b = BackplanePipeline.of(PostgresBackplane.create(options));
        created.add(b);
        b.start(prefix + "-" + node, listener);
        Await.until(TIMEOUT, () -> b.health().up(), node + " up");
        return b;
    }

    @AfterEach
    void close() {
        created.forEach(BackplanePipeline::close);
        server().dropTables(prefix);
    }

    private long count(String sql) throws Exception {
        try (Connection c = server().connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aOneMegabyteMessageTravelsThroughTheAttachmentsTable() throws Exception {
        BlockingQueue<byte[]> received = new LinkedBlockingQueue<>();
        BackplanePipeline a = started("a", options().build(), new RecordingListener());
        started("b", options().build(), received::add);
        byte[] big = new byte[1 << 20];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) (i * 31 + 7);   // not UTF-8: the bytes must come back exactly
        }
        a.publish(big);
        a.publish(utf8("after-big"));
        byte[] first = received.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        byte[] second = received.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(first).isNotNull();
        assertThat(Arrays.equals(first, big)).as("the 1 MiB message, byte for byte").isTrue();
        assertThat(second).isEqualTo(utf8("after-big"));
        assertThat(count("SELECT count(*) FROM " + prefix + "_attachments")).isEqualTo(1);
    }

    @Test
    void aNotificationWhoseAttachmentIsGoneIsCountedAndSkipped() throws Exception {
        RecordingListener received = new RecordingListener();
        BackplanePipeline a = started("a", options().build(), new RecordingListener());
        BackplanePipeline b = started("b", options().build(), received);
        try (Connection tx = server().connect()) {
            tx.setAutoCommit(false);
            pg(a).publish(tx, new PreparedMessage("big", utf8("y".repeat(20_000))));
            // As if the cleanup ran before the receivers read it.
            try (Statement st = tx.createStatement()) {
                st.execute("DELETE FROM " + prefix + "_attachments");
            }
            tx.commit();
        }
        Await.until(TIMEOUT, () -> pg(b).missedAttachments() == 1, "the missing attachment counted");
        a.publish(utf8("still-listening"));
        received.assertNext("still-listening", TIMEOUT);
        assertThat(b.health().up()).isTrue();
    }

    @Test
    void attachmentsOlderThanTheirMaxAgeAreDeletedOnSchedule() throws Exception {
        RecordingListener received = new RecordingListener();
        PostgresBackplaneOptions o = options().attachmentMaxAge(Duration.ofMillis(300))
                .attachmentCleanupPeriod(Duration.ofMillis(200)).build();
        BackplanePipeline a = started("a", o, new RecordingListener());
        started("b", o, received);
        a.publish(utf8("z".repeat(10_000)));
        assertThat(received.next(TIMEOUT)).hasSize(10_000);
        assertThat(count("SELECT count(*) FROM " + prefix + "_attachments")).isEqualTo(1);
        Await.until(TIMEOUT, () -> {
            try {
                return count("SELECT count(*) FROM " + prefix + "_attachments") == 0;
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }, "the attachment deleted by the cleanup");
    }

    @Test
    void foreignPayloadsOnTheChannelAreCountedAndIgnored() throws Exception {
        RecordingListener received = new RecordingListener();
        BackplanePipeline a = started("a", options().build(), new RecordingListener());
        BackplanePipeline b = started("b", options().build(), received);
        try (Connection c = server().connect(); Statement st = c.createStatement()) {
            st.execute("SELECT pg_notify('" + prefix + "_all', 'hello from psql')");
            st.execute("SELECT pg_notify('" + prefix + "_all', 'a1:not-a-number')");
        }
        Await.until(TIMEOUT, () -> pg(b).rejectedNotifications() == 2, "both foreign payloads counted");
        a.publish(utf8("after-garbage"));
        received.assertNext("after-garbage", TIMEOUT);
    }

    @Test
    void concurrentSchemaCreationIsSerialisedByTheAdvisoryLock() throws Exception {
        String fresh = prefix + "_c";
        int n = 8;
        CountDownLatch go = new CountDownLatch(1);
        List<CompletableFuture<Void>> runs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            runs.add(CompletableFuture.runAsync(() -> {
                try (Connection c = server().connect()) {
                    go.await();
                    new BackplaneSchema("public", fresh).ensure(c);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        go.countDown();
        for (CompletableFuture<Void> f : runs) {
            f.get(30, TimeUnit.SECONDS);
        }
        assertThat(count("SELECT count(*) FROM pg_tables WHERE tablename LIKE '" + fresh + "\\_%'")).isEqualTo(3);
        // and again: idempotent
        try (Connection c = server().connect()) {
            new BackplaneSchema("public", fresh).ensure(c);
        }
    }

    @Test
    void withoutAutoCreationNothingIsCreatedUntilTheShippedScriptRuns() throws Exception {
        PostgresBackplaneOptions o = options().createSchema(false).build();
        BackplanePipeline a = started("a", o, new RecordingListener());
        assertThat(count("SELECT count(*) FROM pg_tables WHERE tablename LIKE '" + prefix + "\\_%'")).isZero();
        assertThatThrownBy(() -> a.history().get().append("t", utf8("x"), Retention.lastMessages(5))
                .get(20, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(dev.switchboard.BackplaneException.class);
        try (Connection c = server().connect(); Statement st = c.createStatement()) {
            st.execute(PostgresBackplane.schemaSql(o));
        }
        assertThat(a.history().get().append("t", utf8("x"), Retention.lastMessages(5)).get(20, TimeUnit.SECONDS)
                .offset()).isEqualTo(1);
    }
}
