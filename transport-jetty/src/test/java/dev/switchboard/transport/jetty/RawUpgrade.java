package dev.switchboard.transport.jetty;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A WebSocket upgrade request written by hand, for looking at a refused handshake's whole response
 * (the JDK clients hide the body and refuse to set {@code Upgrade} themselves), or at the bare TCP
 * connection after an upgrade.
 *
 * @param status the HTTP status
 * @param head the status line and headers, lower-cased
 * @param body the body
 */
record RawUpgrade(int status, String head, String body) {

    static RawUpgrade send(int port, String path) throws IOException {
        try (Socket socket = request(port, path)) {
            return parse(readResponse(socket.getInputStream()));
        }
    }

    /**
     * Upgrades a bare socket, for watching what the server does to the TCP connection itself.
     *
     * @return the socket, positioned after the 101 response's headers; reads time out after the test timeout
     */
    static Socket upgraded(int port, String path) throws IOException {
        Socket socket = request(port, path);
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        InputStream in = socket.getInputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed during handshake: " + head);
            }
            head.write(b);
        }
        if (!head.toString(StandardCharsets.US_ASCII).startsWith("HTTP/1.1 101")) {
            throw new IOException("not upgraded: " + head);
        }
        return socket;
    }

    private static Socket request(int port, String path) throws IOException {
        Socket socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout((int) RecordingClient.TIMEOUT.toMillis());
        OutputStream out = socket.getOutputStream();
        out.write(("GET " + path + " HTTP/1.1\r\n"
                + "Host: 127.0.0.1:" + port + "\r\n"
                + "Upgrade: websocket\r\n"
                + "Connection: Upgrade\r\n"
                + "Sec-WebSocket-Version: 13\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return socket;
    }

    private static RawUpgrade parse(String response) {
        int split = response.indexOf("\r\n\r\n");
        String head = response.substring(0, split).toLowerCase(Locale.ROOT);
        return new RawUpgrade(Integer.parseInt(head.substring(9, 12)), head, response.substring(split + 4));
    }

    /** Reads headers, then as many body bytes as Content-Length says. */
    private static String readResponse(InputStream in) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            bytes.write(b);
            String s = bytes.toString(StandardCharsets.UTF_8);
            int end = s.indexOf("\r\n\r\n");
            if (end >= 0) {
                String head = s.substring(0, end).toLowerCase(Locale.ROOT);
                int at = head.indexOf("content-length:");
                int length = at < 0 ? 0 : Integer.parseInt(head.substring(at + 15, head.indexOf("\r\n", at) < 0
                        ? head.length() : head.indexOf("\r\n", at)).trim());
                bytes.write(in.readNBytes(length));
                return bytes.toString(StandardCharsets.UTF_8);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
