package dev.switchboard.examples;

import dev.switchboard.examples.board.BoardExample;
import dev.switchboard.examples.chat.ChatExample;
import dev.switchboard.backplane.Backplanes;

/**
 * Starts one example: {@code chat} (default) or {@code board}, with the {@link Settings} from the
 * command line, system properties or environment:
 * <pre>
 * mvn -B -ntp -DskipTests -pl examples -am package exec:java -Dexample=chat -Dport=8081 -Dbackplane=redis://127.0.0.1:6379
 * java -jar examples/target/switchboard-examples.jar board --port 8082 --backplane postgres://… --repository postgres://…
 * </pre>
 */
public final class Examples {

    private Examples() {
    }

    /**
     * @param args the example's name and options
     * @throws Exception if the server cannot start
     */
    public static void main(String[] args) throws Exception {
        Settings settings;
        try {
            settings = Settings.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        String which = settings.example();
        Runnable stop;
        String url;
        switch (which) {
            case "chat" -> {
                ChatExample chat = ChatExample.start(settings);
                stop = chat::close;
                url = "http://localhost:" + chat.port() + "/ (or the plain WebSocket page /seed.html, "
                        + "or any WebSocket client at ws://localhost:" + chat.port() + "/chat/{name}?age=NN)";
            }
            case "board" -> {
                BoardExample board = BoardExample.start(settings);
                stop = board::close;
                url = "http://localhost:" + board.port() + "/";
            }
            default -> {
                System.err.println("Unknown example \"" + which + "\": use chat or board");
                System.exit(2);
                return;
            }
        }
        Runtime.getRuntime().addShutdownHook(new Thread(stop, "switchboard-example-shutdown"));
        System.out.println();
        System.out.println("Switchboard " + which + " example is running (backplane: "
                + Backplanes.redact(settings.backplane()) + ", repository: " + Backplanes.redact(settings.repository())
                + "). Open " + url + " in one or more browser tabs.");
        System.out.println("Press Ctrl+C to stop.");
        Thread.currentThread().join();
    }
}
