package dev.switchboard.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.EventListener;
import dev.switchboard.SwitchboardOptions;
import dev.switchboard.protocol.FrameCodec;
import dev.switchboard.spi.Tracing;
import java.time.Clock;
import java.util.concurrent.ScheduledExecutorService;

/**
 * What every per-connection object reads from its node: the settings, the time, the timer, the codec and
 * the observability and tracing hooks. Nothing here routes, registers or reaches another connection.
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

    /** The tracing hook: spans around handlers and deliveries ({@code Tracing.NONE} without one). */
    Tracing tracing();
}
