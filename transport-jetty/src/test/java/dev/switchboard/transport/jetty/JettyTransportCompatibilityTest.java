package dev.switchboard.transport.jetty;

import dev.switchboard.Switchboard;
import dev.switchboard.SwitchboardOptions;
import dev.switchboard.testkit.TransportCompatibilityKit;

/** The Jetty transport (its core-API endpoint) passes the transport contract. */
class JettyTransportCompatibilityTest extends TransportCompatibilityKit {
    @Override
    protected Served serve(Setup setup) {
        Switchboard board = Switchboard.builder().authenticator(setup.authenticator())
                .options(SwitchboardOptions.builder().maxFrameBytes(setup.maxFrameBytes()).build())
                .build();
        setup.configure(board);
        JettyTransport transport = JettyTransport.start(board,
                JettyTransportOptions.builder().host("127.0.0.1").port(0).build());
        return Served.of(transport.uri(), board, () -> {
            transport.close();
            board.close();
        });
    }
}
