package dev.switchboard.bench.chaos;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A backplane server that is one child process of the soak, listening on a free port of 127.0.0.1 with its
 * files in the run's directory: a crash is {@code kill -9} of the process, a restart without data deletes its
 * data first ({@link #deleteData()}), then {@link #launch()} starts it again on the same port.
 */
abstract class ServerProcess implements BackplaneServer {
    /** The run's directory for this server's files and log. */
    protected Path dir;
    /** The port the nodes' proxies forward to. */
    protected int port;
    /** The running process. */
    protected Process process;
    /** Whether the last crash keeps the data. */
    protected boolean keepData;

    @Override
    public void start(Path dir) throws Exception {
        this.dir = Files.createDirectories(dir);
        this.port = Processes.freePort();
        prepare();
        launch();
    }

    /** Runs once before the first {@link #launch()}; nothing by default. */
    protected void prepare() throws Exception {
    }

    /** Starts the process on {@link #port} and waits until it serves. */
    protected abstract void launch() throws Exception;

    /** Deletes what the server stored, before a restart that comes back empty. */
    protected abstract void deleteData() throws IOException;

    /** @return the process as named in the fault log, e.g. {@code redis-server} */
    protected abstract String processName();

    @Override
    public int port() {
        return port;
    }

    @Override
    public String crash(boolean keep) throws Exception {
        keepData = keep;
        Processes.kill9(process);
        return "kill -9 " + processName() + " (pid " + process.pid() + ")";
    }

    @Override
    public void restart() throws Exception {
        if (!keepData) {
            deleteData();
        }
        launch();
    }

    @Override
    public void close() {
        if (process != null) {
            Processes.kill9(process);
        }
    }

    /** @return true when something accepts a connection on {@link #port} */
    protected boolean accepts() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * @param name an executable's file name
     * @param more directories to look in after the {@code PATH}'s
     * @return the first executable of that name, or empty
     */
    static Optional<String> executable(String name, String... more) {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String d : more) {
            path += File.pathSeparator + d;
        }
        for (String d : path.split(File.pathSeparator)) {
            File f = new File(d, name);
            if (f.canExecute()) {
                return Optional.of(f.getAbsolutePath());
            }
        }
        return Optional.empty();
    }
}
