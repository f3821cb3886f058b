package dev.switchboard;

/** WebSocket close codes used by Switchboard (RFC 6455 and protocol v1). */
public final class CloseCodes {
    /** Normal closure. */
    public static final int NORMAL = 1000;
    /** The server is shutting down. */
    public static final int GOING_AWAY = 1001;
    /** A binary frame or otherwise unacceptable data type. */
    public static final int UNSUPPORTED_DATA = 1003;
    /** Policy violation, e.g. flooding past the rate limit. */
    public static final int POLICY_VIOLATION = 1008;
    /** A frame exceeded {@code maxFrameBytes}. */
    public static final int TOO_BIG = 1009;
    /** Unexpected server failure. */
    public static final int INTERNAL_ERROR = 1011;
    /** The client could not keep up: its outbound queue hit its bound ("try again later"). */
    public static final int TRY_AGAIN_LATER = 1013;
    /**
     * Service restart: the node is draining (a rolling update, a scale-down) and closes its clients so that
     * they reconnect, soon and at a jittered delay, to another node.
     */
    public static final int SERVICE_RESTART = 1012;
    /** The client neither answered pings nor sent anything for two heartbeat periods. */
    public static final int HEARTBEAT_TIMEOUT = 4000;
    /** The client's token expired and it sent no fresh one ({@code auth} frame) in time. */
    public static final int TOKEN_EXPIRED = 4001;

    private CloseCodes() {
    }
}
