package dev.switchboard.crud.mongo.internal;

import java.util.ArrayList;
import java.util.List;
import org.bson.types.ObjectId;

/**
 * Item ids as text, and back. The repository stores new items under an {@link ObjectId}; documents
 * other programs wrote may use strings or numbers. A client's id is looked up as every {@code _id} it
 * could stand for.
 */
public final class Ids {

    private Ids() {
    }

    /** @param id a stored {@code _id} @return the item's id: hex for an ObjectId, else its text */
    public static String text(Object id) {
        if (id instanceof ObjectId o) {
            return o.toHexString();
        }
        return String.valueOf(id);
    }

    /**
     * @param id an item id from a client
     * @return the {@code _id} values it may stand for: the string itself, and an ObjectId or a number when
     *     it reads as one
     */
    public static List<Object> candidates(String id) {
        List<Object> out = new ArrayList<>(3);
        out.add(id);
        if (ObjectId.isValid(id)) {
            out.add(new ObjectId(id));
        }
        if (id.matches("-?[0-9]{1,18}")) {
            long n = Long.parseLong(id);
            out.add(n);
            if (n == (int) n) {
                out.add((int) n);
            }
        }
        return out;
    }
}
