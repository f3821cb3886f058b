package dev.switchboard.backplane.mongo.internal;

import com.mongodb.client.model.Aggregates;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Projections;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import org.bson.BsonBinary;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.bson.types.Binary;

/**
 * The shape of a message document in the messages collection, and the change-stream pipeline that
 * selects the messages one node must receive.
 *
 * <pre>{@code {_id: ObjectId, ns: "switchboard", f: "node-a", to: null | "node-b", p: BinData, t: ISODate, e: true?}}</pre>
 */
public final class MessageDocuments {
    /** MongoDB's largest BSON document (16 MiB). */
    public static final int MAX_BSON_DOCUMENT = 16 * 1024 * 1024;
    /**
     * The largest payload accepted: 16 MiB less 16 KiB, which leaves room for the document's other fields
     * and for the change event that wraps it (its resume token, key and times), which must also fit
     * into 16 MiB or the server fails the change stream.
     */
    public static final int MAX_PAYLOAD = MAX_BSON_DOCUMENT - 16 * 1024;

    static final String NAMESPACE = "ns";
    static final String FROM = "f";
    static final String TO = "to";
    static final String PAYLOAD = "p";
    static final String TIME = "t";
    static final String ECHO = "e";

    private MessageDocuments() {
    }

    /**
     * @param namespace the cluster's namespace
     * @param from the publishing node
     * @param to the target node, or null for every node
     * @param payload the message
     * @param echo true when the publishing node must receive it too
     * @return the document to insert
     */
    public static Document message(String namespace, String from, String to, byte[] payload, boolean echo) {
        Document d = new Document(NAMESPACE, namespace).append(FROM, from).append(TO, to)
                .append(PAYLOAD, new BsonBinary(payload)).append(TIME, new Date());
        if (echo) {
            d.append(ECHO, true);
        }
        return d;
    }

    /**
     * @param nodeId this node
     * @param namespace the cluster's namespace
     * @return the stages after {@code $changeStream}: inserts of this namespace, to every node or to this
     *     one, this node's own included (the core's liveness beats must come back); projected to the
     *     payload only
     */
    public static List<Bson> pipeline(String namespace, String nodeId) {
        Bson match = Filters.and(
                Filters.eq("operationType", "insert"),
                Filters.eq("fullDocument." + NAMESPACE, namespace),
                Filters.in("fullDocument." + TO, Arrays.asList(null, nodeId)));
        return List.of(Aggregates.match(match),
                Aggregates.project(Projections.include("fullDocument." + PAYLOAD)));
    }

    /** @param fullDocument an inserted message @return its payload, or null when it has none */
    public static byte[] payload(Document fullDocument) {
        if (fullDocument == null) {
            return null;
        }
        Object p = fullDocument.get(PAYLOAD);
        return p instanceof Binary b ? b.getData() : null;
    }

    /** @param s a string @return its length in UTF-8 */
    static int utf8Length(String s) {
        return s == null ? 0 : s.getBytes(StandardCharsets.UTF_8).length;
    }
}
