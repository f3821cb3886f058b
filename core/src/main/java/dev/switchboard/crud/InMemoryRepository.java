package dev.switchboard.crud;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.ErrorCode;
import dev.switchboard.SwitchboardException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The default repository: items in memory, ids {@code "1"}, {@code "2"}, … in creation order. Writes
 * to one item are atomic (compare-and-set on its version). LIST scans the collection: fine for the
 * thousands of items an in-memory store is for. A {@link Quota} bounds the item count (exactly) and
 * each item's size; past it a write fails with {@link QuotaExceededException}.
 */
public final class InMemoryRepository implements Repository {
    private final ConcurrentSkipListMap<Long, ObjectNode> items = new ConcurrentSkipListMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final AtomicLong count = new AtomicLong();
    private final Quota quota;

    private InMemoryRepository(Quota quota) {
        this.quota = java.util.Objects.requireNonNull(quota, "quota");
    }

    /** @return an empty repository without limits */
    public static InMemoryRepository create() {
        return new InMemoryRepository(Quota.unlimited());
    }

    /**
     * @param quota the most items and the largest item
     * @return an empty repository with that quota
     */
    public static InMemoryRepository create(Quota quota) {
        return new InMemoryRepository(quota);
    }

    @Override
    public Optional<ObjectNode> get(String id) {
        Long key = key(id);
        ObjectNode item = key == null ? null : items.get(key);
        return Optional.ofNullable(item == null ? null : item.deepCopy());
    }

    @Override
    public Page list(Query query) {
        List<ObjectNode> matching = new ArrayList<>();
        for (ObjectNode item : items.values()) {
            if (matches(item, query.filters())) {
                matching.add(item);
            }
        }
        if (!query.sort().isEmpty()) {
            matching.sort(comparator(query.sort()));
        }
        int from = (int) Math.min(matching.size(), query.offset());
        int to = Math.min(matching.size(), from + query.size());
        List<ObjectNode> page = new ArrayList<>(to - from);
        for (ObjectNode item : matching.subList(from, to)) {
            page.add(item.deepCopy());
        }
        return new Page(page, query.page(), query.size(), matching.size());
    }

    @Override
    public ObjectNode create(ObjectNode item) {
        quota.checkItem(Quota.fieldsOf(item));
        long n;
        do {
            n = count.get();
            quota.checkCreate(n);
        } while (!count.compareAndSet(n, n + 1));
        long id = ids.incrementAndGet();
        ObjectNode stored = withIdentity(item, String.valueOf(id), 1);
        items.put(id, stored);
        return stored.deepCopy();
    }

    @Override
    public ObjectNode replace(String id, ObjectNode item, Long expectedVersion) {
        quota.checkItem(Quota.fieldsOf(item));
        Long key = key(id);
        ObjectNode[] result = new ObjectNode[1];
        if (key != null) {
            items.computeIfPresent(key, (k, current) -> {
                long version = current.path("version").asLong();
                if (expectedVersion != null && expectedVersion != version) {
                    throw conflict(id, expectedVersion, version);
                }
                result[0] = withIdentity(item, id, version + 1);
                return result[0];
            });
        }
        if (result[0] == null) {
            throw notFound(id);
        }
        return result[0].deepCopy();
    }

    @Override
    public Optional<ObjectNode> delete(String id, Long expectedVersion) {
        Long key = key(id);
        ObjectNode[] removed = new ObjectNode[1];
        if (key != null) {
            items.computeIfPresent(key, (k, current) -> {
                long version = current.path("version").asLong();
                if (expectedVersion != null && expectedVersion != version) {
                    throw conflict(id, expectedVersion, version);
                }
                removed[0] = current;
                return null;
            });
        }
        if (removed[0] != null) {
            count.decrementAndGet();
        }
        return Optional.ofNullable(removed[0]);
    }

    /** @return how many items are stored */
    public int size() {
        return (int) count.get();
    }

    /** @return the quota */
    public Quota quota() {
        return quota;
    }

    private static ObjectNode withIdentity(ObjectNode item, String id, long version) {
        ObjectNode copy = item.deepCopy();
        copy.remove("id");
        copy.remove("version");
        ObjectNode out = copy.objectNode();
        out.put("id", id);
        out.setAll(copy);
        out.put("version", version);
        return out;
    }

    private static boolean matches(ObjectNode item, Map<String, JsonNode> filters) {
        for (Map.Entry<String, JsonNode> f : filters.entrySet()) {
            JsonNode v = item.get(f.getKey());
            if (v == null || !sameValue(v, f.getValue())) {
                return false;
            }
        }
        return true;
    }

    private static boolean sameValue(JsonNode a, JsonNode b) {
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue()) == 0;
        }
        if (a.isValueNode() && b.isTextual()) {
            return a.asText().equals(b.asText());
        }
        return a.equals(b);
    }

    private static Comparator<ObjectNode> comparator(List<SortField> sort) {
        Comparator<ObjectNode> c = null;
        for (SortField f : sort) {
            Comparator<ObjectNode> next = (x, y) -> compareValues(x.get(f.field()), y.get(f.field()));
            if (f.descending()) {
                next = next.reversed();
            }
            c = c == null ? next : c.thenComparing(next);
        }
        return c;
    }

    /** Missing values sort first; numbers numerically; everything else by its text. */
    static int compareValues(JsonNode a, JsonNode b) {
        boolean aMissing = a == null || a.isNull();
        boolean bMissing = b == null || b.isNull();
        if (aMissing || bMissing) {
            return Boolean.compare(!aMissing, !bMissing);
        }
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue());
        }
        return a.asText().compareTo(b.asText());
    }

    private static Long key(String id) {
        try {
            return Long.valueOf(id);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static SwitchboardException notFound(String id) {
        return new SwitchboardException(ErrorCode.NOT_FOUND, id + " does not exist");
    }

    private static SwitchboardException conflict(String id, long expected, long actual) {
        return new SwitchboardException(ErrorCode.CONFLICT,
                id + " is at version " + actual + ", not " + expected);
    }
}
