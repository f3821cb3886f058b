package dev.switchboard.crud;

import java.util.Objects;

/**
 * One sort key of a {@link Query}.
 *
 * @param field the field name
 * @param descending true for descending order ({@code -field} on the wire)
 */
public record SortField(String field, boolean descending) {
    /** Requires a field. */
    public SortField {
        Objects.requireNonNull(field, "field");
    }
}
