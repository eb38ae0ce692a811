package io.agentgateway.runtime;

import io.vertx.ext.web.Router;

/**
 * More routes on the admin port (the console), given by whoever starts the gateway. Every
 * {@code /api/*} path is behind the admin port's access check before {@link #mount} adds anything.
 *
 * <p>{@link #mount} is called each time the admin server starts (again after {@code admin}
 * changes), on that server's context; {@link #close} once when the gateway stops.
 */
public interface AdminRoutes {
    /** Nothing more than the built-in routes. */
    AdminRoutes NONE = router -> {
    };

    void mount(Router router);

    default void close() {
    }
}
