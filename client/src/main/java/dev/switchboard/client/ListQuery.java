package dev.switchboard.client;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a {@link RemoteCollection#list(ListQuery)} asks for: one page of the items that match every
 * filter, in the given order. Immutable and validated at construction; build with {@link #builder()}:
 *
 * <pre>{@code
 * ListQuery q = ListQuery.builder().page(2).size(20).sort("-status,title").filter("status", "todo").build();
 * }</pre>
 *
 * <p>Sent as the {@code LIST} request's {@code page}, {@code size}, {@code sort} (the fields joined with
 * commas) and {@code filters}; components left unset are not sent, so the server's defaults apply.
 * The server answers {@code bad_request} when {@code size} exceeds the collection's maximum or a sort or
 * filter field is not one the collection allows.
 *
 * @param page the page number, from 1; {@code null} (the default) for the server's default, 1
 * @param size the page size, at least 1; {@code null} (the default) for the collection's default page size
 * @param sort the sort fields, most significant first, each a field name optionally prefixed with
 *     {@code -} (descending) or {@code +} (ascending, the default); empty (the default) for the
 *     repository's order
 * @param filters field → value; an item matches when each of its fields equals the value (numbers
 *     compare numerically, other values by their text). Values are anything the client's mapper
 *     serialises. Empty (the default) matches every item
 */
public record ListQuery(Integer page, Integer size, List<String> sort, Map<String, Object> filters) {

    /**
     * Validates and copies the collections.
     *
     * @throws NullPointerException when {@code sort}, {@code filters}, a sort field, a filter name or a
     *     filter value is {@code null}
     * @throws IllegalArgumentException when {@code page} or {@code size} is below 1, or a sort field is
     *     blank or contains a comma
     */
    public ListQuery {
        if (page != null && page < 1) {
            throw new IllegalArgumentException("page must be at least 1, got " + page);
        }
        if (size != null && size < 1) {
            throw new IllegalArgumentException("size must be at least 1, got " + size);
        }
        sort = List.copyOf(Objects.requireNonNull(sort, "sort"));
        for (String field : sort) {
            String name = field.startsWith("-") || field.startsWith("+") ? field.substring(1) : field;
            if (name.isBlank() || field.contains(",")) {
                throw new IllegalArgumentException("sort field must be a field name with an optional - or +, got \""
                        + field + "\"");
            }
        }
        Map<String, Object> copy = new LinkedHashMap<>();
        Objects.requireNonNull(filters, "filters").forEach((field, value) ->
                copy.put(Objects.requireNonNull(field, "filter field"),
                        Objects.requireNonNull(value, () -> "value of filter \"" + field + "\"")));
        filters = Collections.unmodifiableMap(copy);
    }

    /** @return a query with every default: the first page, of the collection's default size, unsorted, unfiltered */
    public static ListQuery defaults() {
        return builder().build();
    }

    /** @return a builder with every default */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder holding this query, to derive changed copies (e.g. the next page) */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.page = page;
        b.size = size;
        b.sort.addAll(sort);
        b.filters.putAll(filters);
        return b;
    }

    /** @return the sort fields as the wire's comma-separated {@code sort}, e.g. {@code -status,title} */
    public String sortSpec() {
        return String.join(",", sort);
    }

    /** Builds a {@link ListQuery}; every setter documents its default. Not thread-safe. */
    public static final class Builder {
        private Integer page;
        private Integer size;
        private final List<String> sort = new ArrayList<>();
        private final Map<String, Object> filters = new LinkedHashMap<>();

        private Builder() {
        }

        /**
         * @param page the page number, from 1 (default: the server's, 1)
         * @return this
         */
        public Builder page(int page) {
            this.page = page;
            return this;
        }

        /**
         * @param size the page size (default: the collection's default page size, 20 unless configured)
         * @return this
         */
        public Builder size(int size) {
            this.size = size;
            return this;
        }

        /**
         * Replaces the sort order with a comma-separated list, as on the wire.
         *
         * @param spec e.g. {@code "-status,title"}; blank for none (the default)
         * @return this
         */
        public Builder sort(String spec) {
            sort.clear();
            for (String part : Objects.requireNonNull(spec, "spec").split(",")) {
                if (!part.isBlank()) {
                    sort.add(part.trim());
                }
            }
            return this;
        }

        /**
         * Replaces the sort order.
         *
         * @param fields field names, most significant first, each optionally prefixed with {@code -}
         *     (descending); empty for none (the default)
         * @return this
         */
        public Builder sort(List<String> fields) {
            sort.clear();
            sort.addAll(Objects.requireNonNull(fields, "fields"));
            return this;
        }

        /**
         * Adds (or replaces) one filter.
         *
         * @param field the field
         * @param value the value it must equal
         * @return this
         */
        public Builder filter(String field, Object value) {
            filters.put(Objects.requireNonNull(field, "field"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /**
         * Replaces every filter.
         *
         * @param filters field → value (default: none)
         * @return this
         */
        public Builder filters(Map<String, ?> filters) {
            this.filters.clear();
            this.filters.putAll(Objects.requireNonNull(filters, "filters"));
            return this;
        }

        /**
         * @return the query
         * @throws IllegalArgumentException when a value is out of range (see {@link ListQuery})
         * @throws NullPointerException when a filter value is {@code null}
         */
        public ListQuery build() {
            return new ListQuery(page, size, sort, filters);
        }
    }
}
