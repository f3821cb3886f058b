package dev.switchboard.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.crud.ChangeEvent;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A {@link ChangeListener} that queues what it receives, so tests assert with a timeout instead of
 * sleeping.
 *
 * @param <T> the item type
 */
final class RecordingChanges<T> implements ChangeListener<T> {
    private final BlockingQueue<CollectionChange<T>> changes = new LinkedBlockingQueue<>();

    @Override
    public void onChange(CollectionChange<T> change) {
        changes.add(change);
    }

    /** @return the next change; fails if none arrives within {@link RecordingClient#WAIT} */
    CollectionChange<T> next() {
        try {
            CollectionChange<T> c = changes.poll(RecordingClient.WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(c).as("a change within %s", RecordingClient.WAIT).isNotNull();
            return c;
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    /** Asserts the next change's type and id, and returns it. */
    CollectionChange<T> assertNext(ChangeEvent.Type type, String id) {
        CollectionChange<T> c = next();
        assertThat(c.type()).isEqualTo(type);
        assertThat(c.id()).isEqualTo(id);
        assertThat(c.collection()).isEqualTo("tasks");
        return c;
    }

    /** @return the change already received and not yet taken, or null: does not wait */
    CollectionChange<T> poll() {
        return changes.poll();
    }

    /** Asserts that nothing was received that the test has not taken. */
    void assertExhausted() {
        assertThat(changes).isEmpty();
    }
}
