package dev.switchboard.crud;

import dev.switchboard.ErrorCode;
import dev.switchboard.SwitchboardException;

/**
 * A write would break a size or count limit (a repository's {@link Quota}, a collection's
 * {@link CollectionOptions#maxItemBytes()} or {@link CollectionOptions#maxPatchOperations()}): the
 * client gets {@code too_large} and nothing is stored.
 */
public class QuotaExceededException extends SwitchboardException {
    /** Which limit was hit. */
    public enum Limit {
        /** The item would be larger than allowed. */
        ITEM_BYTES,
        /** The collection already holds as many items as allowed. */
        ITEM_COUNT,
        /** The patch has more operations than allowed. */
        PATCH_OPERATIONS
    }

    private final Limit limit;
    private final long max;

    /**
     * @param limit which limit
     * @param max its value
     * @param message what happened, for the client
     */
    public QuotaExceededException(Limit limit, long max, String message) {
        super(ErrorCode.TOO_LARGE, message);
        this.limit = limit;
        this.max = max;
    }

    static QuotaExceededException itemBytes(long size, long max) {
        return new QuotaExceededException(Limit.ITEM_BYTES, max,
                "the item would be " + size + " bytes, more than the limit of " + max);
    }

    static QuotaExceededException itemCount(long max) {
        return new QuotaExceededException(Limit.ITEM_COUNT, max, "the collection holds its limit of " + max + " items");
    }

    /** @return which limit was hit */
    public Limit limit() {
        return limit;
    }

    /** @return the limit's value */
    public long max() {
        return max;
    }
}
