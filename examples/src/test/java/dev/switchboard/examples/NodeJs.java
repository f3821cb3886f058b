package dev.switchboard.examples;

import java.io.File;

/** Finds the {@code node} executable for the tests that run the JavaScript client in Node.js. */
final class NodeJs {

    private NodeJs() {
    }

    /** @return the absolute path of {@code node} on the {@code PATH}, or null when Node.js is not installed */
    static String find() {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(File.pathSeparator)) {
            File f = new File(dir, "node");
            if (f.canExecute()) {
                return f.getAbsolutePath();
            }
        }
        return null;
    }
}
