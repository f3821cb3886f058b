package dev.switchboard.crud;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * A change to a collection, as sent to topic {@code collection:<name>}: event {@code ADDED} or
 * {@code MODIFIED} with the item as data, or {@code DELETED} with {@code {"id"}}.
 *
 * @param type what happened
 * @param collection the collection's name
 * @param id the item's id
 * @param item the item after the change; for DELETED, just {@code {"id"}}
 */
public record ChangeEvent(Type type, String collection, String id, ObjectNode item) {

    /** The change event names of protocol v1. */
    public enum Type { ADDED, MODIFIED, DELETED }

    /** Requires every field. */
    public ChangeEvent {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(collection, "collection");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(item, "item");
    }

    /** @param collection a collection name @return its change topic, {@code collection:<name>} */
    public static String topicOf(String collection) {
        return "collection:" + collection;
    }
}
