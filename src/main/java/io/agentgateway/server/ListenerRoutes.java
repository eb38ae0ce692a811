package io.agentgateway.server;

/**
 * The handler currently serving each listener, looked up per request so a reload takes effect on
 * the next request without rebinding sockets. Null when the listener is gone from the config.
 */
@FunctionalInterface
public interface ListenerRoutes {
    ProtocolHandler handler(String listenerName);
}
