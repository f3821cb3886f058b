package dev.switchboard.internal;

import java.net.InetAddress;

/** This process's address, for messages that tell an operator which machine a node runs on. */
final class Hosts {

    private Hosts() {
    }

    /** @return {@code hostname/ip} and the process id, without spaces; never blocks long, never throws */
    static String address() {
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
