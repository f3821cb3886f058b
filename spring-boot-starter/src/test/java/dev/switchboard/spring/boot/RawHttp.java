package dev.switchboard.spring.boot;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * An HTTP request written by hand, to see a refused WebSocket upgrade's whole response (the JDK clients
 * hide its body and will not send {@code Upgrade} or an {@code Origin} themselves).
 *
 * @param status the HTTP status
 * @param head the status line and headers, lower-cased
 * @param body the body
 */
record RawHttp(int status, String head, String body) {

    /**
     * @param port the server's port
     * @param path the path and query
     * @param extraHeaders more header lines, each ending with CRLF
     * @return the response (read until the server closes or a complete body arrived)
     */
    static RawHttp upgrade(int port, String path, String extraHeaders) throws IOException {
        return send(port, "GET " + path + " HTTP/1.1\r\n"
                + "Host: 127.0.0.1:" + port + "\r\n"
                + "Upgrade: websocket\r\n"
                + "Connection: Upgrade\r\n"
                + "Sec-WebSocket-Version: 13\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                + extraHeaders
                + "\r\n");
    }

    /**
     * Upgrades a bare socket and returns it without ever reading from it again: a client that stops reading.
     *
     * @param port the server's port
     * @param path the path and query
     * @return the socket, positioned after the 101 response's headers
     */
    static Socket upgradedSocket(int port, String path) throws IOException {
        Socket socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(10_000);
        // a small receive buffer, so the server's writes stop completing soon
        socket.setReceiveBufferSize(4096);
        socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\n"
                + "Host: 127.0.0.1:" + port + "\r\n"
                + "Upgrade: websocket\r\n"
                + "Connection: Upgrade\r\n"
                + "Sec-WebSocket-Version: 13\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                + "\r\n").getBytes(StandardCharsets.US_ASCII));
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed during the handshake: " + head);
            }
            head.write(b);
        }
        if (!head.toString(StandardCharsets.US_ASCII).startsWith("HTTP/1.1 101")) {
            throw new IOException("not upgraded: " + head);
        }
        return socket;
    }

    private static RawHttp send(int port, String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            byte[] buf = new byte[4096];
            int n;
            while ((n = in.read(buf)) > 0) {
                all.write(buf, 0, n);
                if (complete(all.toString(StandardCharsets.UTF_8))) {
                    break;
                }
            }
            String text = all.toString(StandardCharsets.UTF_8);
            int split = text.indexOf("\r\n\r\n");
            String head = split < 0 ? text : text.substring(0, split);
            String body = split < 0 ? "" : text.substring(split + 4);
            int status = Integer.parseInt(head.substring(9, 12));
            return new RawHttp(status, head.toLowerCase(Locale.ROOT), body);
        }
    }

    /** A response with a Content-Length is complete once that many body bytes arrived; chunked once the last chunk did. */
    private static boolean complete(String text) {
        int split = text.indexOf("\r\n\r\n");
        if (split < 0) {
            return false;
        }
        String head = text.substring(0, split).toLowerCase(Locale.ROOT);
        String body = text.substring(split + 4);
        if (head.startsWith("http/1.1 101")) {
            return true;
        }
        int i = head.indexOf("content-length:");
        if (i >= 0) {
            int end = head.indexOf("\r\n", i);
            int length = Integer.parseInt(head.substring(i + 15, end < 0 ? head.length() : end).trim());
            return body.getBytes(StandardCharsets.UTF_8).length >= length;
        }
        return head.contains("transfer-encoding: chunked") && body.endsWith("0\r\n\r\n");
    }
}
