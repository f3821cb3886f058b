package dev.switchboard.spring.boot;

import dev.switchboard.Switchboard;
import dev.switchboard.spi.Authenticator;
import dev.switchboard.testkit.TransportCompatibilityKit;
import java.net.URI;
import org.junit.jupiter.api.Tag;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.servlet.context.ServletWebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;

/**
 * The starter's endpoint in Boot's own container passes the transport contract: the node comes from the
 * application's {@link Authenticator} and {@link SwitchboardConfigurer} beans and {@code switchboard.*} properties,
 * as in a user's application. Runs on Tomcat, and again on Jetty and Undertow (the {@code containers} runs).
 */
@Tag("containers")
class SpringBootTransportCompatibilityTest extends TransportCompatibilityKit {

    /** An application with nothing but the auto-configuration and the kit's beans. */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class KitApp {
    }

    @Override
    protected Served serve(Setup setup) {
        ConfigurableApplicationContext context = new SpringApplicationBuilder(KitApp.class)
                .properties("server.port=0", "server.address=127.0.0.1", "spring.main.banner-mode=off",
                        "switchboard.max-frame-bytes=" + setup.maxFrameBytes())
                .initializers(c -> {
                    GenericApplicationContext g = (GenericApplicationContext) c;
                    g.registerBean("kitAuthenticator", Authenticator.class, setup::authenticator);
                    g.registerBean("kitHandlers", SwitchboardConfigurer.class, () -> setup::configure);
                })
                .run();
        int port = ((ServletWebServerApplicationContext) context).getWebServer().getPort();
        Switchboard board = context.getBean(Switchboard.class);
        return Served.of(URI.create("ws://127.0.0.1:" + port + "/ws"), board, context::close);
    }
}
