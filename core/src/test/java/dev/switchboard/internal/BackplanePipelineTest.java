package dev.switchboard.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.BackplaneException;
import dev.switchboard.spi.Backplane;
import dev.switchboard.spi.BackplaneCapabilities;
import dev.switchboard.spi.BackplaneLink;
import dev.switchboard.spi.BackplaneOptions;
import dev.switchboard.spi.Outbound;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The policies the core owns for every backplane, against a scripted adapter. */
class BackplanePipelineTest {
    private static final long WAIT_MS = 10_000;
    private final List<BackplanePipeline> pipelines = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() {
        pipelines.forEach(BackplanePipeline::close);
    }

    /** Records batches; loops messages back (like a pub/sub server) while {@code loopBack}. */
    private static final class Scripted implements Backplane {
        final BackplaneOptions options;
        final List<String> published = new CopyOnWriteArrayList<>();
        final AtomicInteger renewals = new AtomicInteger();
        final AtomicInteger beats = new AtomicInteger();
        volatile boolean loopBack = true;
        volatile boolean connectAtStart = true;
        volatile CountDownLatch gate = new CountDownLatch(0);
        volatile RuntimeException failWith;
        volatile BackplaneLink link;
        int maxMessageBytes;
        /** Declares {@code publishesWithoutBlocking}; {@link #publishAsync} records and completes with {@link #pendingAsync}. */
        volatile boolean async;
        final List<String> asyncThreads = new CopyOnWriteArrayList<>();
        volatile java.util.concurrent.CompletableFuture<Void> pendingAsync;
        volatile boolean asyncImplemented = true;

        Scripted(BackplaneOptions options) {
            this.options = options;
        }

        @Override
        public String name() {
            return "scripted";
        }

        @Override
        public BackplaneOptions sharedOptions() {
            return options;
        }

        @Override
        public BackplaneCapabilities capabilities() {
            return BackplaneCapabilities.defaults().withMaxMessageBytes(maxMessageBytes).withPublishesWithoutBlocking(async);
        }

        @Override
        public java.util.concurrent.CompletionStage<Void> publishAsync(Outbound o) {
            if (!asyncImplemented) {
                return Backplane.super.publishAsync(o);
            }
            asyncThreads.add(Thread.currentThread().getName());
            String text = new String(o.message(), StandardCharsets.UTF_8);
            java.util.concurrent.CompletableFuture<Void> f = pendingAsync;
            RuntimeException fail = failWith;
            if (fail != null) {
                return java.util.concurrent.CompletableFuture.failedFuture(fail);
            }
            published.add(text);
            if (loopBack) {
                link.received(o.message());
            }
            return f != null ? f : java.util.concurrent.CompletableFuture.completedFuture(null);
        }

        @Override
        public void start(BackplaneLink link) {
            this.link = link;
            if (connectAtStart) {
                link.connected("scripted server");
            } else {
                link.disconnected("scripted server unreachable");
            }
        }

        @Override
        public void publish(List<Outbound> batch) throws Exception {
            gate.await();
            RuntimeException f = failWith;
            if (f != null) {
                throw f;
            }
            for (Outbound o : batch) {
                String text = new String(o.message(), StandardCharsets.UTF_8);
                if (!text.startsWith("#sbbeat ")) {
                    published.add(text);
                } else {
                    beats.incrementAndGet();
                }
                if (loopBack) {
                    link.received(o.message());
                }
            }
        }

        @Override
        public void renew() {
            renewals.incrementAndGet();
        }

        @Override
        public void close() {
        }
    }

    private static BackplaneOptions.Builder fast() {
        return BackplaneOptions.builder().livenessInterval(Duration.ofMillis(50)).livenessMissedBeats(2);
    }

    private BackplanePipeline started(Scripted adapter, BlockingQueue<String> received) {
        BackplanePipeline p = BackplanePipeline.of(adapter);
        pipelines.add(p);
        p.start("n1", m -> received.add(new String(m, StandardCharsets.UTF_8)));
        return p;
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.currentTimeMillis() + WAIT_MS;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(10);
        }
    }

    /** Heals the adapter and checks that the pipeline is up again and publishes (nothing from before). */
    private static void upAgainOnceTheServerTakesMessages(Scripted adapter, BackplanePipeline p) throws Exception {
        adapter.failWith = null;
        await(() -> p.health().up(), "up again once the beats go through");
        p.publish(utf8("after"));
        await(() -> adapter.published.contains("after"), "published again");
        assertThat(adapter.published).containsExactly("after");
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void upOnlyWhileItsOwnBeatsComeBackAndRenewsTheSubscriptionWhenTheyStop() throws Exception {
        Scripted adapter = new Scripted(fast().build());
        BackplanePipeline p = started(adapter, new LinkedBlockingQueue<>());
        await(() -> p.health().up(), "up once the beats come back");
        assertThat(p.health().detail()).isEqualTo("scripted server");
        adapter.loopBack = false;
        await(() -> !p.health().up(), "down once the beats stay away");
        assertThat(p.health().detail()).contains("liveness beats");
        await(() -> adapter.renewals.get() > 0, "the adapter asked to renew its subscriptions");
        adapter.loopBack = true;
        await(() -> p.health().up(), "up again");
    }

    @Test
    void receivedMessagesReachTheListenerInOrderAndBeatsNever() throws Exception {
        Scripted adapter = new Scripted(fast().build());
        BlockingQueue<String> received = new LinkedBlockingQueue<>();
        BackplanePipeline p = started(adapter, received);
        await(() -> p.health().up(), "up");
        for (int i = 0; i < 100; i++) {
            adapter.link.received(utf8("m" + i));
        }
        for (int i = 0; i < 100; i++) {
            assertThat(received.poll(WAIT_MS, TimeUnit.MILLISECONDS)).isEqualTo("m" + i);
        }
        assertThat(received).isEmpty();
    }

    @Test
    void whileDisconnectedEveryPublishIsDroppedAtOnceAndCounted() throws Exception {
        Scripted adapter = new Scripted(fast().build());
        adapter.connectAtStart = false;
        BackplanePipeline p = started(adapter, new LinkedBlockingQueue<>());
        assertThat(p.health().up()).isFalse();
        assertThat(p.health().detail()).isEqualTo("scripted server unreachable");
        p.publish(utf8("a"));
        p.publish("n2", utf8("b"));
        assertThat(p.health().droppedMessages()).isEqualTo(2);
        adapter.link.connected("scripted server");
        await(() -> p.health().up(), "up after connecting");
        p.publish(utf8("c"));
        await(() -> adapter.published.contains("c"), "published once connected");
        assertThat(adapter.published).containsExactly("c");
        assertThat(p.health().droppedMessages()).isEqualTo(2);
    }

    @Test
    void aFullQueueDropsAndCountsWithoutWaitingAndTheRestGoesOutInOrder() throws Exception {
        Scripted adapter = new Scripted(fast().publishQueueMessages(5).publishBatchSize(2).build());
        adapter.gate = new CountDownLatch(1);
        BackplanePipeline p = started(adapter, new LinkedBlockingQueue<>());
        // The publishing thread is now held inside the adapter with the first beats: nothing drains.
        for (int i = 0; i < 20; i++) {
            p.publish(utf8("q" + i));
        }
        assertThat(p.health().droppedMessages()).isEqualTo(15);
        adapter.gate.countDown();
        await(() -> adapter.published.size() == 5, "the queued five published");
        assertThat(adapter.published).containsExactly("q0", "q1", "q2", "q3", "q4");
    }

    @Test
    void closingSendsWhatIsQueuedFirst() throws Exception {
        Scripted adapter = new Scripted(fast().build());
        adapter.gate = new CountDownLatch(1);
        BackplanePipeline p = started(adapter, new LinkedBlockingQueue<>());
        p.publish(utf8("last words"));
        p.publish(utf8("goodbye"));
        Thread closer = new Thread(p::close);
        closer.start();
        adapter.gate.countDown();
        closer.join(WAIT_MS);
        assertThat(adapter.published).containsExactly("last words", "goodbye");
    }

    @Test
    void aFailedBatchIsCountedAndPublishesFailFastUntilTheBackplaneTakesMessagesAgain() throws Exception {
        Scripted adapter = new Scripted(fast().build());
        BackplanePipeline p = started(adapter, new LinkedBlockingQueue<>());
        await(() -> p.health().up(), "up");
        adapter.failWith = new IllegalStateException("server gone");
        p.publish(utf8("lost"));
        await(() -> p.health().droppedMessages() == 1, "the failed batch counted");
        assertThat(p.health().up()).isFalse();
        assertThat(p.health().detail()).contains("server gone");
        p.publish(utf8("refused at once"));
        assertThat(p.health().droppedMessages()).isEqualTo(2);
        upAgainOnceTheServerTakesMessages(adapter, p);
    }

    @Test
    void anIdlePipelineSendsFromTheCallersThreadAndWhatComesMeanwhileFollowsInOrderThroughItsOwnThread()
            throws Exception {
        Scripted adapter = new Scripted(fast().build());
        adapter.async = true;
        BlockingQueue<String> received = new LinkedBlockingQueue<>();
        BackplanePipeline p = started(adapter, received);
        await(() -> p.health().up(), "up");
        java.util.concurrent.CompletableFuture<Void> firstTaken = new java.util.concurrent.CompletableFuture<>();
        adapter.pendingAsync = firstTaken;
        p.publish(utf8("first"));
        // Sent at once, on this thread: no hand-off to the publishing thread.
        assertThat(adapter.asyncThreads).containsExactly(Thread.currentThread().getName());
        assertThat(adapter.published).containsExactly("first");
        adapter.pendingAsync = null;
        // While the first is not acknowledged, the next ones go through the queue and the publishing thread,
        // behind it (the adapter keeps its calls in order, as one connection pipelining commands does).
        p.publish(utf8("second"));
        p.publish(utf8("third"));
        await(() -> adapter.published.size() == 3, "the queued two sent");
        assertThat(adapter.published).containsExactly("first", "second", "third");
        assertThat(adapter.asyncThreads).hasSize(1);
        firstTaken.complete(null);
        assertThat(received.poll(WAIT_MS, TimeUnit.MILLISECONDS)).isEqualTo("first");
        assertThat(received.poll(WAIT_MS, TimeUnit.MILLISECONDS)).isEqualTo("second");
        assertThat(received.poll(WAIT_MS, TimeUnit.MILLISECONDS)).isEqualTo("third");
        // Idle again: the next one leaves from the caller's thread again.
        p.publish(utf8("fourth"));
        assertThat(adapter.asyncThreads).hasSize(2);
        assertThat(adapter.published).containsExactly("first", "second", "third", "fourth");
        assertThat(p.health().droppedMessages()).isZero();
    }

    @Test
    void aFailedSendFromTheCallersThreadIsCountedAndPublishesFailFastUntilTheBeatsGoThrough() throws Exception {
        Scripted adapter = new Scripted(fast().build());
        adapter.async = true;
        BackplanePipeline p = started(adapter, new LinkedBlockingQueue<>());
        await(() -> p.health().up(), "up");
        adapter.failWith = new IllegalStateException("server gone");
        p.publish(utf8("lost"));
        assertThat(p.health().droppedMessages()).isEqualTo(1);
        // (A beat that got through just before may report the backplane publishing again; the next one fails.)
        await(() -> !p.health().up(), "down");
        assertThat(p.health().detail()).contains("server gone");
        long dropped = p.health().droppedMessages();
        int tried = adapter.asyncThreads.size();
        p.publish(utf8("refused at once"));
        assertThat(p.health().droppedMessages()).isEqualTo(dropped + 1);
        assertThat(adapter.asyncThreads).hasSize(tried);
        upAgainOnceTheServerTakesMessages(adapter, p);
    }

    @Test
    void anAdapterThatClaimsToPublishWithoutBlockingButCannotIsPublishedThroughThePipelinesThread()
            throws Exception {
        Scripted inner = new Scripted(fast().build());
        inner.async = true;
        inner.asyncImplemented = false; // as a wrapper written before publishAsync that forwards the capabilities
        BackplanePipeline p = BackplanePipeline.of(inner);
        pipelines.add(p);
        BlockingQueue<String> received = new LinkedBlockingQueue<>();
        p.start("n1", m -> received.add(new String(m, StandardCharsets.UTF_8)));
        await(() -> p.health().up(), "up");
        p.publish(utf8("one"));
        p.publish(utf8("two"));
        await(() -> inner.published.size() == 2, "both published");
        assertThat(inner.published).containsExactly("one", "two");
        assertThat(inner.asyncThreads).isEmpty();
        assertThat(p.health().droppedMessages()).isZero();
        assertThat(p.health().up()).isTrue();
    }

    @Test
    void refusesAMessageLargerThanTheBackplaneCarries() throws Exception {
        Scripted adapter = new Scripted(fast().build());
        adapter.maxMessageBytes = 10;
        BackplanePipeline p = started(adapter, new LinkedBlockingQueue<>());
        await(() -> p.health().up(), "up");
        assertThatThrownBy(() -> p.publish(new byte[11])).isInstanceOf(BackplaneException.class)
                .hasMessageContaining("limit of 10 bytes");
        p.publish(new byte[10]);
        await(() -> adapter.published.size() == 1, "the largest allowed message published");
        assertThat(p.health().droppedMessages()).isZero();
    }

    @Test
    void aReceiveQueueOverflowIsCountedInTheDetailWhileBeatsKeepTheBackplaneUp() throws Exception {
        Scripted adapter = new Scripted(fast().receiveQueueBytes(100).build());
        CountDownLatch release = new CountDownLatch(1);
        BackplanePipeline p = BackplanePipeline.of(adapter);
        pipelines.add(p);
        p.start("n1", m -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        await(() -> p.health().up(), "up");
        for (int i = 0; i < 10; i++) {
            adapter.link.received(new byte[40]);
        }
        assertThat(p.health().detail()).contains("received messages dropped");
        int beats = adapter.beats.get();
        // Ten more beats: five liveness timeouts, any of which would have turned health down.
        await(() -> adapter.beats.get() >= beats + 10, "more beats");
        assertThat(p.health().up()).as("beats bypass the receive queue").isTrue();
        release.countDown();
    }

    @Test
    void withAKeyEveryMessageLeavesSignedAndAnUnsignedBeatCannotPushTheNodeOut() throws Exception {
        Scripted adapter = new Scripted(fast().build());
        dev.switchboard.ClusterTrust trust = dev.switchboard.ClusterTrust.builder()
                .key("pipeline-test-key-0123456789-abcdefghij").build();
        BackplanePipeline p = BackplanePipeline.of(adapter, trust);
        pipelines.add(p);
        BlockingQueue<String> received = new LinkedBlockingQueue<>();
        p.start("n1", m -> received.add(new String(m, StandardCharsets.UTF_8)));
        await(() -> p.health().up(), "up on its own signed beats");
        p.publish(utf8("hello"));
        assertThat(received.poll(WAIT_MS, TimeUnit.MILLISECONDS)).isEqualTo("hello");
        assertThat(adapter.published).allMatch(m -> m.startsWith("#sbsig1 " + trust.keyId() + " "));
        // A twin's beat with this node's id, started long ago, as anyone could publish it: ignored and counted.
        long before = p.signer().untrusted();
        adapter.link.received(utf8("#sbbeat 0 n1 other 1 10.0.0.9 1"));
        adapter.link.received(utf8("injected"));
        await(() -> p.signer().untrusted() >= before + 2, "two unsigned messages dropped");
        Thread.sleep(200);
        // Still in the cluster: up (on a loaded machine a beat may come back late, so wait for it), never
        // "in use" or "left the cluster", which a trusted twin's beat would cause for good.
        assertThat(p.health().detail()).doesNotContain("in use").doesNotContain("left the cluster");
        await(() -> p.health().up(), "up");
        assertThat(p.health().detail()).doesNotContain("in use");
        assertThat(received).isEmpty();
    }
}
