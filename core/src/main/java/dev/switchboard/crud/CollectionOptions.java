package dev.switchboard.crud;

import java.util.Objects;
import java.util.Set;

/**
 * How a collection is exposed. Immutable; build with {@link #builder()}.
 *
 * @param fields the fields clients may sort and filter on, besides {@code id} and {@code version};
 *     empty means any field (default: empty)
 * @param defaultPageSize the LIST page size when none is given (default 20)
 * @param maxPageSize the largest LIST page size; larger gets {@code bad_request} (default 100)
 * @param validator checks items before they are stored (default: accept all)
 * @param authorizer per-operation authorisation (default: allow all)
 * @param changeFeed changes made outside the socket, or null; when set, the service does not
 *     publish its own writes (the feed reports them) (default: none)
 * @param maxItemBytes the largest item a client may write, in bytes of its JSON without {@code id} and
 *     {@code version}, checked on every POST, PUT and PATCH (and after every operation of a JSON Patch);
 *     larger gets {@code too_large} (default 65,536)
 * @param maxPatchOperations the most operations in one RFC 6902 JSON Patch; more gets {@code too_large}
 *     (default 100)
 */
public record CollectionOptions(Set<String> fields, int defaultPageSize, int maxPageSize, Validator validator,
                                CrudAuthorizer authorizer, ChangeFeed changeFeed, int maxItemBytes,
                                int maxPatchOperations) {

    /** Validates. */
    public CollectionOptions {
        fields = Set.copyOf(fields);
        Objects.requireNonNull(validator, "validator");
        Objects.requireNonNull(authorizer, "authorizer");
        if (maxPageSize < 1 || defaultPageSize < 1 || defaultPageSize > maxPageSize) {
            throw new IllegalArgumentException("need 1 <= defaultPageSize <= maxPageSize");
        }
        if (maxItemBytes < 2 || maxPatchOperations < 1) {
            throw new IllegalArgumentException("maxItemBytes must be at least 2 and maxPatchOperations at least 1");
        }
    }

    /** @return the defaults */
    public static CollectionOptions defaults() {
        return builder().build();
    }

    /** @return a builder starting from the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** @param field a field name @return true if clients may sort and filter on it */
    public boolean isQueryable(String field) {
        return "id".equals(field) || "version".equals(field) || fields.isEmpty() || fields.contains(field);
    }

    /** Builds {@link CollectionOptions}. */
    public static final class Builder {
        private Set<String> fields = Set.of();
        private int defaultPageSize = 20;
        private int maxPageSize = 100;
        private Validator validator = Validator.acceptAll();
        private CrudAuthorizer authorizer = CrudAuthorizer.allowAll();
        private ChangeFeed changeFeed;
        private int maxItemBytes = 65_536;
        private int maxPatchOperations = 100;

        private Builder() {
        }

        /** @param names sortable and filterable fields @return this */
        public Builder fields(String... names) {
            fields = Set.of(names);
            return this;
        }

        /** @param v default page size @return this */
        public Builder defaultPageSize(int v) {
            defaultPageSize = v;
            return this;
        }

        /** @param v largest page size @return this */
        public Builder maxPageSize(int v) {
            maxPageSize = v;
            return this;
        }

        /** @param v the validator @return this */
        public Builder validator(Validator v) {
            validator = v;
            return this;
        }

        /** @param v the authorizer @return this */
        public Builder authorizer(CrudAuthorizer v) {
            authorizer = v;
            return this;
        }

        /** @param v the change feed @return this */
        public Builder changeFeed(ChangeFeed v) {
            changeFeed = v;
            return this;
        }

        /** @param v the largest item in bytes (default 65,536) @return this */
        public Builder maxItemBytes(int v) {
            maxItemBytes = v;
            return this;
        }

        /** @param v the most operations in one JSON Patch (default 100) @return this */
        public Builder maxPatchOperations(int v) {
            maxPatchOperations = v;
            return this;
        }

        /** @return validated options */
        public CollectionOptions build() {
            return new CollectionOptions(fields, defaultPageSize, maxPageSize, validator, authorizer, changeFeed,
                    maxItemBytes, maxPatchOperations);
        }
    }
}
