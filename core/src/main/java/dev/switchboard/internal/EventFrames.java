package dev.switchboard.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * Checks that bytes from the backplane or its history store, which a node would write to its clients
 * as they are, are one {@code event} frame: a single JSON object whose every {@code "type"} is
 * {@code "event"} and whose {@code "event"} is a string, with nothing after it. So no raw text, no request
 * frame (which a client would answer) and no second JSON value reaches a client, signed or not. Streams
 * over the bytes without building a tree. Thread-safe.
 */
final class EventFrames {
    private static final JsonFactory JSON = new JsonFactory();

    private EventFrames() {
    }

    /** @param frame bytes to write to clients @return true when they are one event frame */
    static boolean valid(byte[] frame) {
        try (JsonParser p = JSON.createParser(frame)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return false;
            }
            boolean type = false;
            boolean event = false;
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if ("type".equals(name)) {
                    if (value != JsonToken.VALUE_STRING || !"event".equals(p.getText())) {
                        return false;
                    }
                    type = true;
                } else if ("event".equals(name)) {
                    if (value != JsonToken.VALUE_STRING) {
                        return false;
                    }
                    event = true;
                } else {
                    p.skipChildren();
                }
            }
            return t == JsonToken.END_OBJECT && type && event && p.nextToken() == null;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
