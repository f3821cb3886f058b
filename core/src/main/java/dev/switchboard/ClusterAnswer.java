package dev.switchboard;

import java.util.Objects;
import java.util.Set;

/**
 * A cluster-wide answer, possibly partial.
 *
 * @param value the combined answer of the nodes that answered
 * @param answered the nodes whose answer is included (this one too)
 * @param missing the nodes that were alive when the query started but did not answer in time, or
 *     left meanwhile; empty when the answer is complete
 * @param <T> the answer's type
 */
public record ClusterAnswer<T>(T value, Set<String> answered, Set<String> missing) {

    /** Validates and copies. */
    public ClusterAnswer {
        Objects.requireNonNull(value, "value");
        answered = Set.copyOf(answered);
        missing = Set.copyOf(missing);
    }

    /** @return true when every node answered */
    public boolean complete() {
        return missing.isEmpty();
    }
}
