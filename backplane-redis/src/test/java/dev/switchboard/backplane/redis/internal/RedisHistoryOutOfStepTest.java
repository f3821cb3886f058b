package dev.switchboard.backplane.redis.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.BackplaneException;
import dev.switchboard.Retention;
import dev.switchboard.StreamPosition;
import dev.switchboard.spi.HistoryRead;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * A Lettuce connection that got out of step with Redis answers a command with another command's answer (a
 * class of client bugs after network cuts). A history read answered with an older read's result would make a
 * node skip offsets that are in the history, and its subscribers would miss them. Every history call sends a
 * random token that the script echoes; this connection stand-in answers like the scripts do, or, when told
 * to, with the previous call's answer.
 */
class RedisHistoryOutOfStepTest {
    private final List<Object> answers = new ArrayList<>();
    private final List<Link> reported = new ArrayList<>();
    private boolean answerWithThePreviousOne;
    private long last;

    private final Link link = link();
    private final RedisHistory history = new RedisHistory(() -> link, () -> null, "t", 0, reported::add);

    @Test
    void callsAnsweredWithTheirOwnTokenSucceed() throws Exception {
        StreamPosition p = history.append("orders", bytes("{}"), Retention.lastMessages(10)).get(5, TimeUnit.SECONDS);
        HistoryRead r = history.read("orders", 0, 10).get(5, TimeUnit.SECONDS);

        assertThat(p).isEqualTo(new StreamPosition("e1", 1));
        assertThat(r.latest()).isEqualTo(new StreamPosition("e1", 1));
        assertThat(reported).isEmpty();
    }

    @Test
    void aReadAnsweredWithAnOlderReadsAnswerFailsAndTheLinkIsReported() throws Exception {
        history.read("orders", 0, 10).get(5, TimeUnit.SECONDS);
        history.append("orders", bytes("{}"), Retention.lastMessages(10)).get(5, TimeUnit.SECONDS);
        history.read("orders", 0, 10).get(5, TimeUnit.SECONDS);

        answerWithThePreviousOne = true; // a stale position, 1, where the history is at 2 now
        history.append("orders", bytes("{}"), Retention.lastMessages(10));
        CompletableFuture<HistoryRead> stale = history.read("orders", 0, 10);

        assertThatThrownBy(() -> stale.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(BackplaneException.class).hasMessageContaining("out of step");
        assertThat(reported).as("the link reported for replacement").contains(link);
    }

    @Test
    void anAppendAnsweredWithAReadsAnswerFails() throws Exception {
        history.read("orders", 0, 10).get(5, TimeUnit.SECONDS);

        answerWithThePreviousOne = true;
        CompletableFuture<StreamPosition> append = history.append("orders", bytes("{}"), Retention.lastMessages(10));

        assertThatThrownBy(() -> append.get(5, TimeUnit.SECONDS)).cause().isInstanceOf(BackplaneException.class);
        assertThat(reported).containsExactly(link);
    }

    /** Answers EVALSHA like the scripts: {epoch, offset, token} for an append, {epoch, last, entries, token} for a read. */
    @SuppressWarnings("unchecked")
    private Link link() {
        RedisClusterAsyncCommands<byte[], byte[]> commands = (RedisClusterAsyncCommands<byte[], byte[]>)
                Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {RedisClusterAsyncCommands.class},
                        (proxy, method, args) -> {
                            if (!method.getName().equals("evalsha")) {
                                throw new UnsupportedOperationException(method.getName());
                            }
                            byte[][] argv = (byte[][]) args[3];
                            boolean append = argv.length == 5;
                            Object answer = append
                                    ? List.of(bytes("e1"), ++last, argv[3])
                                    : List.of(bytes("e1"), last, List.of(), argv[2]);
                            Object given = answerWithThePreviousOne ? answers.get(answers.size() - 1) : answer;
                            answers.add(answer);
                            return new Done<>(given);
                        });
        return (Link) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Link.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "commands" -> commands;
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    case "toString" -> "link";
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** A command Redis already answered. */
    private static final class Done<T> extends CompletableFuture<T> implements RedisFuture<T> {
        Done(T value) {
            complete(value);
        }

        @Override
        public String getError() {
            return null;
        }

        @Override
        public boolean await(long timeout, TimeUnit unit) {
            return true;
        }
    }
}
