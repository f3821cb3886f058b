package dev.switchboard.spi;

import dev.switchboard.StreamPosition;
import java.util.List;
import java.util.Objects;

/**
 * What {@link History#read} found.
 *
 * @param latest the topic's current epoch and latest offset
 * @param entries the retained entries after the requested offset, in offset order
 */
public record HistoryRead(StreamPosition latest, List<HistoryEntry> entries) {

    /** Validates and copies. */
    public HistoryRead {
        Objects.requireNonNull(latest, "latest");
        entries = List.copyOf(entries);
    }
}
