package dev.switchboard.internal;

import java.net.InetAddress;

/** This process's address, for messages that tell an operator which machine a node runs on. */
final class Hosts {
    private static volatile String address;

    private Hosts() {
    }

    /** @return {@code hostname/ip} and the process id, without spaces; looked up once per JVM, never throws */
    static String address() {
        String a = address;
        if (a == null) {
            a = lookUp();
            address = a;
        }
        return a;
    }

    private static String lookUp() {
        String host;
        try {
            InetAddress a = InetAddress.getLocalHost();
            host = a.getHostName() + "/" + a.getHostAddress();
        } catch (Exception e) {
            host = "unknown-host";
        }
        return (host + "#pid" + ProcessHandle.current().pid()).replace(' ', '_');
    }
}
