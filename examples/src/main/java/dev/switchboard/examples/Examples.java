package dev.switchboard.examples;

import dev.switchboard.examples.board.BoardExample;
import dev.switchboard.examples.chat.ChatExample;
import dev.switchboard.examples.orders.OrdersExample;
import dev.switchboard.examples.orders.OrdersOptions;
import dev.switchboard.backplane.Backplanes;

/**
 * Starts one example: {@code chat} (default), {@code board} or {@code orders}, with the {@link Settings} from the
 * command line, system properties or environment:
 * <pre>
 * mvn -B -ntp -DskipTests -pl examples -am package exec:java -Dexample=chat -Dport=8081 -Dbackplane=redis://127.0.0.1:6379
 * java -jar examples/target/switchboard-examples.jar board --port 8082 --backplane postgres://… --repository postgres://…
 * </pre>
 */
public final class Examples {

    private Examples() {
    }

    private static void printOrdersHelp(int port, OrdersOptions options) {
        String base = "http://localhost:" + port;
        boolean demo = options.emitKeys().equals("demo=" + OrdersOptions.DEMO_KEY);
        if (demo) {
            System.out.println("Emit API key (demo only; set EMIT_API_KEYS=name=key to choose your own): "
                    + OrdersOptions.DEMO_KEY);
        }
        System.out.println("Notify acme's admins:  curl -i " + base + "/api/emit -H 'Authorization: Bearer "
                + (demo ? OrdersOptions.DEMO_KEY : "$EMIT_KEY") + "' -H 'Content-Type: application/json' -d '{\"id\":\"n-1\","
                + "\"type\":\"notifications.drawer\",\"roles\":[\"admin\"],\"organizations\":[\"acme\"],"
                + "\"payload\":{\"title\":\"Hello\",\"description\":\"From curl\"}}'");
        System.out.println("Commerce order.created: curl -i " + base + "/events -H 'Content-Type: application/json' "
                + "-H 'ce-specversion: 1.0' -H 'ce-id: evt-1' -H 'ce-source: /commerce' -H 'ce-type: order.created' "
                + "-d '{\"orderCode\":\"76272727\",\"customerId\":\"alice\",\"entries\":[{\"productId\":"
                + "\"p-beans\",\"quantity\":2}]}'");
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
            case "orders" -> {
                OrdersOptions options = OrdersOptions.fromEnvironment();
                OrdersExample orders = OrdersExample.start(settings, options);
                stop = orders::close;
                url = "http://localhost:" + orders.port() + "/";
                printOrdersHelp(orders.port(), options);
            }
            default -> {
                System.err.println("Unknown example \"" + which + "\": use chat, board or orders");
                System.exit(2);
                return;
            }
        }
        // SIGTERM (docker stop, a Kubernetes pod deletion) or Ctrl+C: drain gracefully (see each example's close)
        Runtime.getRuntime().addShutdownHook(new Thread(stop, "switchboard-example-shutdown"));
        System.out.println();
        System.out.println("Switchboard " + which + " example is running (backplane: "
                + Backplanes.redact(settings.backplane()) + ", repository: " + Backplanes.redact(settings.repository())
                + "). Open " + url + " in one or more browser tabs.");
        System.out.println("Press Ctrl+C to stop.");
        Thread.currentThread().join();
    }
}
