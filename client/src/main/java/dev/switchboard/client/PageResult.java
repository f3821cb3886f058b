package dev.switchboard.client;

import java.util.List;
import java.util.Objects;

/**
 * One page of a {@link RemoteCollection#list(ListQuery)}: the {@code LIST} reply
 * {@code {"items":[..],"page","size","total"}} with its items converted.
 *
 * @param items the items of this page, at most {@code size}, in the query's order; unmodifiable
 * @param page the page number, from 1
 * @param size the page size the server applied (the query's, or the collection's default)
 * @param total how many items match the filters across all pages
 * @param <T> the item type
 */
public record PageResult<T>(List<T> items, int page, int size, long total) {

    /**
     * Copies the items.
     *
     * @throws NullPointerException when {@code items} or one of them is {@code null}
     */
    public PageResult {
        items = List.copyOf(Objects.requireNonNull(items, "items"));
    }

    /** @return true when pages after this one hold matching items */
    public boolean hasNext() {
        return (long) page * size < total;
    }
}
