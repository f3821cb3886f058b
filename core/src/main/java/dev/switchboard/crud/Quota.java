package dev.switchboard.crud;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * A repository's storage quota: how many items it may hold and how large one item may be. Immutable.
 * The in-memory, Postgres and MongoDB repositories take one; a write past it fails with a
 * {@link QuotaExceededException} ({@code too_large}) and stores nothing.
 *
 * <p>An item's size is the length of its UTF-8 JSON without {@code id} and {@code version} (what a
 * client writes). The count quota is checked when an item is created; concurrent creates on
 * several nodes of a Postgres or MongoDB repository may overshoot it by at most the number of creates
 * in flight at that moment, and rows written by other programs are not counted against it.
 *
 * @param maxItems the most items the repository holds; 0 for no limit (default 0)
 * @param maxItemBytes the largest item in bytes; 0 for no limit (default 0)
 */
public record Quota(long maxItems, int maxItemBytes) {
    private static final ObjectMapper SIZER = new ObjectMapper();
    private static final Quota UNLIMITED = new Quota(0, 0);

    /** Validates. */
    public Quota {
        if (maxItems < 0 || maxItemBytes < 0) {
            throw new IllegalArgumentException("quota limits must be >= 0 (0 = none)");
        }
    }

    /** @return no limits (the repositories' default) */
    public static Quota unlimited() {
        return UNLIMITED;
    }

    /**
     * @param maxItems the most items, 0 for no limit
     * @param maxItemBytes the largest item in bytes, 0 for no limit
     * @return the quota
     */
    public static Quota of(long maxItems, int maxItemBytes) {
        return new Quota(maxItems, maxItemBytes);
    }

    /**
     * @param item an item's fields, without {@code id} and {@code version}
     * @throws QuotaExceededException when it is larger than {@link #maxItemBytes()}
     */
    public void checkItem(JsonNode item) {
        if (maxItemBytes > 0) {
            checkItemBytes(sizeOf(item));
        }
    }

    /**
     * @param size an item's size in bytes, measured as {@link #checkItem} does
     * @throws QuotaExceededException when it is larger than {@link #maxItemBytes()}
     */
    public void checkItemBytes(long size) {
        if (maxItemBytes > 0 && size > maxItemBytes) {
            throw QuotaExceededException.itemBytes(size, maxItemBytes);
        }
    }

    /**
     * @param itemsNow how many items the repository holds before a create
     * @throws QuotaExceededException when one more would exceed {@link #maxItems()}
     */
    public void checkCreate(long itemsNow) {
        if (maxItems > 0 && itemsNow >= maxItems) {
            throw QuotaExceededException.itemCount(maxItems);
        }
    }

    /**
     * @param item an item
     * @return its fields as a quota measures them: a copy without {@code id} and {@code version}, or the
     *     item itself when it has neither
     */
    public static com.fasterxml.jackson.databind.node.ObjectNode fieldsOf(
            com.fasterxml.jackson.databind.node.ObjectNode item) {
        if (!item.has("id") && !item.has("version")) {
            return item;
        }
        com.fasterxml.jackson.databind.node.ObjectNode copy = item.deepCopy();
        copy.remove("id");
        copy.remove("version");
        return copy;
    }

    /**
     * @param value any JSON value
     * @return the length of its UTF-8 JSON encoding, counted without building it
     */
    public static long sizeOf(JsonNode value) {
        long[] n = new long[1];
        try (OutputStream counter = new OutputStream() {
            @Override
            public void write(int b) {
                n[0]++;
            }

            @Override
            public void write(byte[] b, int off, int len) {
                n[0] += len;
            }
        }) {
            SIZER.writeValue(counter, value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return n[0];
    }
}
