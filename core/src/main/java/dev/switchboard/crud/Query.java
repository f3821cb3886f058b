package dev.switchboard.crud;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * A validated LIST request: which page, how big, in which order, with which equality filters.
 *
 * @param page the page number, from 1
 * @param size the page size, from 1 to the collection's maximum
 * @param sort sort keys, most significant first; items with equal keys keep id order
 * @param filters field → value the item's field must equal
 */
public record Query(int page, int size, List<SortField> sort, Map<String, JsonNode> filters) {
    /** Copies the collections. */
    public Query {
        if (page < 1 || size < 1) {
            throw new IllegalArgumentException("page and size must be positive");
        }
        sort = List.copyOf(sort);
        filters = Map.copyOf(filters);
    }

    /** @return the index of the first item of the page */
    public long offset() {
        return (long) (page - 1) * size;
    }
}
