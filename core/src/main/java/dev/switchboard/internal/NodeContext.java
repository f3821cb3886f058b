package dev.switchboard.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.EventListener;
import dev.switchboard.SwitchboardOptions;
import dev.switchboard.protocol.FrameCodec;
import java.time.Clock;
import java.util.concurrent.ScheduledExecutorService;

/**
 * What every per-connection object reads from its node: the settings, the time, the timer, the codec and
 * the observability hook. Nothing here routes, registers or reaches another connection.
 */
interface NodeContext {
    String nodeId();

    SwitchboardOptions options();

    Clock clock();

    /** The node's timer: short tasks only, never blocking. */
    ScheduledExecutorService timer();

    EventListener listener();

    FrameCodec codec();

    ObjectMapper mapper();
}
