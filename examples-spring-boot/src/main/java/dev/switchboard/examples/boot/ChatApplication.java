package dev.switchboard.examples.boot;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A chat in a Spring Boot application: the Switchboard starter mounts the WebSocket endpoint at {@code /ws}
 * in Boot's Tomcat, {@link ChatHandlers} registers the handlers, {@code static/index.html} is the page.
 *
 * <pre>
 * mvn -B -ntp -DskipTests -pl examples-spring-boot -am package exec:java
 * # then open http://localhost:8090/ ; -Dserver.port=… for another port,
 * # -Dswitchboard.backplane=redis://127.0.0.1:6379 to share the chat between instances
 * </pre>
 */
@SpringBootApplication
public class ChatApplication {

    /** @param args Spring Boot's command line ({@code --server.port=8091}) */
    public static void main(String[] args) {
        SpringApplication.run(ChatApplication.class, args);
    }
}
