package dev.switchboard.testkit;

import dev.switchboard.backplane.InMemoryBackplane;
import dev.switchboard.spi.Backplane;

/** The in-JVM bus passes the same kit as every server backplane (it has no server to restart). */
class InMemoryBackplaneCompatibilityTest extends BackplaneCompatibilityKit {
    private final InMemoryBackplane.Bus bus = InMemoryBackplane.bus();

    @Override
    protected Backplane createBackplane() {
        return bus.backplane();
    }
}
