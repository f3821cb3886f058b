package dev.switchboard.client;

import dev.switchboard.crud.ChangeEvent;
import java.util.Objects;

/**
 * A change to a server collection, delivered to a {@link ChangeListener}: the event {@code ADDED},
 * {@code MODIFIED} or {@code DELETED} on topic {@code collection:<name>}, with its data converted.
 *
 * @param type what happened (the event's name)
 * @param collection the collection's name
 * @param id the item's id
 * @param item the item after the change, converted to the collection's type; {@code null} for
 *     {@link ChangeEvent.Type#DELETED}, whose data is only {@code {"id"}}
 * @param <T> the item type
 */
public record CollectionChange<T>(ChangeEvent.Type type, String collection, String id, T item) {

    /**
     * Requires every component except {@code item}.
     *
     * @throws NullPointerException when {@code type}, {@code collection} or {@code id} is {@code null}
     */
    public CollectionChange {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(collection, "collection");
        Objects.requireNonNull(id, "id");
    }
}
