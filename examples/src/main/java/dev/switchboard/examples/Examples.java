package dev.switchboard.examples;

import dev.switchboard.examples.board.BoardExample;
import dev.switchboard.examples.chat.ChatExample;
import java.util.Locale;

/**
 * Starts one example: {@code chat} (default) or {@code board}. The port comes from the
 * {@code PORT} environment variable or the {@code port} system property (default 8080).
 */
public final class Examples {

    private Examples() {
    }

    /**
     * @param args the example's name
     * @throws Exception if the server cannot start
     */
    public static void main(String[] args) throws Exception {
        String which = args.length == 0 ? "chat" : args[0].toLowerCase(Locale.ROOT);
        int port = port();
        Runnable stop;
        String url;
        switch (which) {
            case "chat" -> {
                ChatExample chat = ChatExample.start(port);
                stop = chat::close;
                url = "http://localhost:" + chat.port() + "/";
            }
            case "board" -> {
                BoardExample board = BoardExample.start(port);
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
        System.out.println("Switchboard " + which + " example is running. Open " + url + " in one or more browser tabs.");
        System.out.println("Press Ctrl+C to stop.");
        Thread.currentThread().join();
    }

    private static int port() {
        String p = System.getenv("PORT");
        if (p == null || p.isBlank()) {
            p = System.getProperty("port", "8080");
        }
        return Integer.parseInt(p.trim());
    }
}
