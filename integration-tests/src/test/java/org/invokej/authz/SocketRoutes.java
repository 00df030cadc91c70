package org.invokej.authz;

import java.util.List;

/**
 * The matrix rows of the live event endpoint's HTTP side: {@code /ws/socket.io/} opens a long-polling
 * session for anyone (a GET handshake), and answers requests of unknown sessions and WebSocket
 * requests without the upgrade with Engine.IO's 400, the same for every caller. Who may connect a
 * socket is decided at the Socket.IO CONNECT: see {@link SocketHandshakeMatrixTest}.
 */
final class SocketRoutes {

    private SocketRoutes() {
    }

    static List<RouteCase> cases() {
        return List.of(
                RouteCase.of("GET", "/ws/socket.io/?EIO=4&transport=polling").everyone(200),
                RouteCase.of("GET", "/ws/socket.io/?EIO=4&transport=polling&sid=x").everyone(400),
                RouteCase.of("POST", "/ws/socket.io/?EIO=4&transport=polling&sid=x").everyone(400),
                RouteCase.of("POST", "/ws/socket.io/?EIO=4&transport=polling").everyone(400),
                RouteCase.of("GET", "/ws/socket.io/?EIO=4&transport=websocket").everyone(400),
                RouteCase.of("GET", "/ws/socket.io?EIO=4&transport=polling").everyone(200));
    }
}
