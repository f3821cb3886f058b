package dev.switchboard.bench.chaos;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The MongoDB stand-in (mongo-java-server with its oplog, memory backend) in a JVM of its own
 * ({@link MongoStandIn}). It keeps its data in memory, so a crash that keeps the data drops the listener
 * and every connection at once inside the process ({@code stop}, then {@code start} on its standard
 * input), and a crash that loses the data is {@code kill -9} of the process.
 */
final class MongoServer extends ServerProcess {

    @Override
    public String name() {
        return "mongo";
    }

    @Override
    protected void launch() throws Exception {
        process = Processes.start(List.of(Nodes.java(), "-Xmx512m", "-XX:+UseSerialGC", "-cp", Nodes.classpath(),
                MongoStandIn.class.getName(), Integer.toString(port)), dir.resolve("mongo.log"));
        Processes.await("mongo stand-in on " + port, process, this::accepts);
    }

    /** Nothing: the stand-in keeps its data in memory, and the crash that loses it killed the process. */
    @Override
    protected void deleteData() {
    }

    @Override
    protected String processName() {
        return "mongo stand-in";
    }

    /** The MongoDB history takes the offset ({@code $inc}) and inserts the entry in two writes. */
    @Override
    public boolean atomicHistory() {
        return false;
    }

    @Override
    public String nodeUri(int proxyPort) {
        return "mongodb://127.0.0.1:" + proxyPort + "/?serverSelectionTimeoutMS=3000&connectTimeoutMS=2000";
    }

    @Override
    public String crash(boolean keep) throws Exception {
        if (!keep) {
            return super.crash(false);
        }
        keepData = true;
        command("stop");
        long deadline = System.currentTimeMillis() + 10_000;
        while (accepts() && System.currentTimeMillis() < deadline) {
            Thread.sleep(20); // polling the listener going away
        }
        return "mongo stand-in dropped its listener and every connection (data kept in memory)";
    }

    @Override
    public void restart() throws Exception {
        if (keepData && process.isAlive()) {
            command("start");
            Processes.await("mongo stand-in on " + port, process, this::accepts);
        } else {
            launch();
        }
    }

    private void command(String line) throws IOException {
        OutputStream in = process.getOutputStream();
        in.write((line + "\n").getBytes(StandardCharsets.US_ASCII));
        in.flush();
    }
}
