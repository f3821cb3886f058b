package dev.switchboard.bench.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The soak's proxy against a real echo server: it forwards, cuts, pauses and partitions. */
class TcpProxyTest {
    private ServerSocket echo;
    private TcpProxy proxy;

    @BeforeEach
    void start() throws IOException {
        echo = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
        Thread t = new Thread(() -> {
            while (!echo.isClosed()) {
                try {
                    Socket s = echo.accept();
                    Thread e = new Thread(() -> {
                        try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
                            in.transferTo(out);
                        } catch (IOException ignored) {
                            // the proxy cut it
                        }
                    });
                    e.setDaemon(true);
                    e.start();
                } catch (IOException closed) {
                    return;
                }
            }
        });
        t.setDaemon(true);
        t.start();
        proxy = new TcpProxy("test", () -> List.of(new InetSocketAddress("127.0.0.1", echo.getLocalPort())), 0);
    }

    @AfterEach
    void stop() throws IOException {
        proxy.close();
        echo.close();
    }

    private Socket connect() throws IOException {
        Socket s = new Socket("127.0.0.1", proxy.port());
        s.setSoTimeout(5000);
        return s;
    }

    private static String roundTrip(Socket s, String text) throws IOException {
        s.getOutputStream().write(text.getBytes());
        byte[] buf = s.getInputStream().readNBytes(text.length());
        return new String(buf);
    }

    private void awaitConnections(int n) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 5000;
        while (proxy.connections() != n && System.currentTimeMillis() < deadline) {
            Thread.sleep(10); // polling the proxy's count
        }
        assertThat(proxy.connections()).isEqualTo(n);
    }

    @Test
    void forwardsBothWaysAndResetsWhatItCuts() throws Exception {
        try (Socket a = connect(); Socket b = connect()) {
            assertThat(roundTrip(a, "hello")).isEqualTo("hello");
            assertThat(roundTrip(b, "world")).isEqualTo("world");
            awaitConnections(2);
            assertThat(proxy.cut(1, new Random(1))).isEqualTo(1);
            awaitConnections(1);
            assertThat(proxy.cutAll()).isEqualTo(1);
            assertThatThrownBy(() -> {
                roundTrip(a, "x");
                roundTrip(b, "x");
            }).isInstanceOf(IOException.class);
        }
    }

    @Test
    void aPausedConnectionDeliversNothingUntilThePauseEnds() throws Exception {
        try (Socket a = connect()) {
            assertThat(roundTrip(a, "before")).isEqualTo("before");
            assertThat(proxy.pause(1, new Random(1), 1500)).isEqualTo(1);
            a.getOutputStream().write("during".getBytes());
            a.setSoTimeout(500);
            assertThatThrownBy(() -> a.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
            a.setSoTimeout(5000);
            assertThat(new String(a.getInputStream().readNBytes(6))).isEqualTo("during");
        }
    }

    @Test
    void whileBlockedEveryConnectionIsRefusedAndAfterwardsTrafficFlowsAgain() throws Exception {
        Socket before = connect();
        assertThat(roundTrip(before, "a")).isEqualTo("a");
        proxy.block(true);
        awaitConnections(0);
        try (Socket during = connect()) {
            assertThatThrownBy(() -> roundTrip(during, "b")).isInstanceOf(IOException.class);
        }
        proxy.block(false);
        try (Socket after = connect()) {
            assertThat(roundTrip(after, "c")).isEqualTo("c");
        }
        before.close();
    }
}
