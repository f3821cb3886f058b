package dev.switchboard.examples.chat;

import dev.switchboard.Audience;
import dev.switchboard.Connection;
import dev.switchboard.Identity;
import dev.switchboard.PlainEndpoint;
import dev.switchboard.Switchboard;
import dev.switchboard.TextRenderer;
import dev.switchboard.spi.AuthenticationException;
import dev.switchboard.spi.Handshake;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The classic WebSocket chat, as its users know it: a page connects a plain browser WebSocket to
 * {@code /chat/{name}?age=NN} and exchanges bare text frames. The newcomer is greeted ("Hi Alice! You
 * have succesfully connected to the chat" — the original text, spelling included), everyone hears
 * "Alice with age 20 connected to chat", every line is relayed as "Alice: hello", and "Alice left the
 * chat" when she goes. The name is a display name, not an authenticated user.
 *
 * <p>These connections are in the same room (topic {@link ChatExample#ROOM}) as the Switchboard page's,
 * on every node: a line from either kind reaches both, as event {@link ChatExample#MESSAGE} for the page
 * and as its bare text here.
 */
public final class SeedChat {
    /** Where the plain endpoint is mounted. */
    public static final String PATH = "/chat/{name}";
    private static final Logger log = LoggerFactory.getLogger(SeedChat.class);
    private static final String NAME = "name";
    private static final int MAX_NAME = 40;

    private SeedChat() {
    }

    /**
     * Mounts the plain endpoint on a node; call before the transport starts.
     *
     * @param board the chat's node
     */
    public static void mount(Switchboard board) {
        Room room = new Room(board);
        board.plainEndpoint(PATH, PlainEndpoint.builder()
                .authenticator(SeedChat::admit)
                .onOpen(conn -> {
                    conn.send(ChatExample.MESSAGE, "Hi " + name(conn) + "! You have succesfully connected to the chat");
                    conn.join(ChatExample.ROOM);
                    room.say(name(conn) + " with age " + age(conn) + " connected to chat");
                })
                .onText((conn, text) -> {
                    String msg = name(conn) + ": " + text;
                    room.say(msg);
                    log.info(msg);
                })
                .onClose((conn, code, reason) -> room.say(name(conn) + " left the chat"))
                // Only chat lines reach these clients, as bare text.
                .renderer(TextRenderer.onlyEvent(ChatExample.MESSAGE))
                .build());
    }

    /** Anyone may join under a display name of 1 to 40 characters; nobody is authenticated. */
    private static Identity admit(Handshake handshake, Map<String, String> path) {
        String name = path.getOrDefault(NAME, "").trim();
        if (name.isEmpty() || name.length() > MAX_NAME) {
            throw AuthenticationException.forbidden("connect at /chat/{name} with a name of 1 to 40 characters");
        }
        return Identity.anonymous();
    }

    private static String name(Connection conn) {
        return String.valueOf(conn.attributes().get(NAME)).trim();
    }

    private static String age(Connection conn) {
        String age = conn.handshake().queryParam("age");
        return age == null || age.isBlank() ? "unknown" : age.trim();
    }

    /** Everything said in the room goes to every member on every node. */
    private record Room(Switchboard board) {
        void say(String line) {
            board.to(Audience.topic(ChatExample.ROOM)).emit(ChatExample.MESSAGE, line);
        }
    }
}
