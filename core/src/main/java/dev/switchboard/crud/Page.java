package dev.switchboard.crud;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * One page of a LIST, as sent to the client: {@code {"items":[..],"page","size","total"}}.
 *
 * @param items the items of this page
 * @param page the page number
 * @param size the page size asked for
 * @param total how many items match the filters in all pages
 */
public record Page(List<ObjectNode> items, int page, int size, long total) {
    /** Copies the items. */
    public Page {
        items = List.copyOf(items);
    }
}
