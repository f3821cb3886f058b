package dev.switchboard.internal;

import dev.switchboard.Audience;
import dev.switchboard.Emitter;
import dev.switchboard.EventMetadata;
import dev.switchboard.emit.EmitMessage;
import dev.switchboard.emit.EmitOptions;
import dev.switchboard.emit.EmitResult;
import dev.switchboard.emit.EmitService;
import java.time.Clock;
import java.util.Objects;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's {@link EmitService}: remembers the ids of accepted messages for the de-duplication window
 * (on this node; see {@code docs/integration.md} for what that means in a cluster) and routes the rest
 * through the node, with the message's id and the time it was accepted as the event's metadata.
 */
final class DefaultEmitService implements EmitService {
    private static final Logger log = LoggerFactory.getLogger(DefaultEmitService.class);

    private final Function<Audience, Emitter> route;
    private final EmitOptions options;
    private final RecentIds recent;
    private final Clock clock;

    /** @param route the node's router: where an audience's events go (not the public facade) */
    DefaultEmitService(Function<Audience, Emitter> route, EmitOptions options, Clock clock) {
        this.route = route;
        this.options = options;
        this.clock = clock;
        this.recent = new RecentIds(options.dedupWindow(), options.dedupCapacity(), clock);
    }

    @Override
    public EmitResult accept(EmitMessage message) {
        return route(message, false);
    }

    @Override
    public EmitResult acceptLocally(EmitMessage message) {
        return route(message, true);
    }

    private EmitResult route(EmitMessage message, boolean localOnly) {
        Objects.requireNonNull(message, "message");
        if (!recent.add(message.id())) {
            log.debug("Emit {} ({}) is a duplicate within {}; not delivered again", message.id(), message.type(),
                    options.dedupWindow());
            return new EmitResult(message.id(), true, 0);
        }
        try {
            Emitter emitter = localOnly ? route.apply(message.audience()).local() : route.apply(message.audience());
            int local = emitter.emit(message.type(), message.payload(),
                    new EventMetadata(message.id(), null, clock.instant()));
            return new EmitResult(message.id(), false, local);
        } catch (RuntimeException e) {
            // Not delivered: a retry with the same id must get through.
            recent.remove(message.id());
            throw e;
        }
    }

    @Override
    public EmitOptions options() {
        return options;
    }
}
