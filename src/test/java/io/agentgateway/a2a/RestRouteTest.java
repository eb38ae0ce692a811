package io.agentgateway.a2a;

import io.agentgateway.server.GatewayError;
import io.vertx.core.http.HttpMethod;
import org.junit.jupiter.api.Test;

import static io.vertx.core.http.HttpMethod.DELETE;
import static io.vertx.core.http.HttpMethod.GET;
import static io.vertx.core.http.HttpMethod.POST;
import static io.vertx.core.http.HttpMethod.PUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The HTTP+JSON paths of A2A 1.0 (and 0.3 under /v1), with and without a tenant, as operations. */
class RestRouteTest {
    static RestRoute route(HttpMethod m, String path) {
        return RestRoute.of(m, path);
    }

    @Test
    void everyOperationOfTheBinding() {
        assertThat(route(POST, "/message:send")).isEqualTo(new RestRoute("SendMessage", null, false));
        assertThat(route(POST, "/message:stream")).isEqualTo(new RestRoute("SendStreamingMessage", null, true));
        assertThat(route(GET, "/tasks")).isEqualTo(new RestRoute("ListTasks", null, false));
        assertThat(route(GET, "/tasks/t-1")).isEqualTo(new RestRoute("GetTask", "t-1", false));
        assertThat(route(POST, "/tasks/t-1:cancel")).isEqualTo(new RestRoute("CancelTask", "t-1", false));
        assertThat(route(GET, "/tasks/t-1:subscribe")).isEqualTo(new RestRoute("SubscribeToTask", "t-1", true));
        assertThat(route(POST, "/tasks/t-1:subscribe")).isEqualTo(new RestRoute("SubscribeToTask", "t-1", true));
        assertThat(route(POST, "/tasks/t-1/pushNotificationConfigs"))
                .isEqualTo(new RestRoute("CreateTaskPushNotificationConfig", "t-1", false));
        assertThat(route(GET, "/tasks/t-1/pushNotificationConfigs"))
                .isEqualTo(new RestRoute("ListTaskPushNotificationConfigs", "t-1", false));
        assertThat(route(GET, "/tasks/t-1/pushNotificationConfigs/c-1"))
                .isEqualTo(new RestRoute("GetTaskPushNotificationConfig", "t-1", false));
        assertThat(route(DELETE, "/tasks/t-1/pushNotificationConfigs/c-1"))
                .isEqualTo(new RestRoute("DeleteTaskPushNotificationConfig", "t-1", false));
        assertThat(route(GET, "/extendedAgentCard")).isEqualTo(new RestRoute("GetExtendedAgentCard", null, false));
    }

    @Test
    void aTenantOrTheA2a03PrefixMayComeFirst() {
        assertThat(route(POST, "/acme/message:send").method()).isEqualTo("SendMessage");
        assertThat(route(GET, "/acme/tasks/t-9").taskId()).isEqualTo("t-9");
        assertThat(route(GET, "/acme/tasks").method()).isEqualTo("ListTasks");
        assertThat(route(POST, "/v1/message:stream").streaming()).isTrue();
        assertThat(route(GET, "/v1/card").method()).isEqualTo("GetExtendedAgentCard");
        assertThat(route(GET, "/tasks/tasks").taskId()).as("without a tenant first").isEqualTo("tasks");
    }

    @Test
    void taskIdsAreDecodedAndMayHoldColons() {
        assertThat(route(GET, "/tasks/a%2Fb%20c").taskId()).isEqualTo("a/b c");
        assertThat(route(GET, "/tasks/urn:task:1").taskId()).isEqualTo("urn:task:1");
        assertThat(route(POST, "/tasks/urn:task:1:cancel").taskId()).isEqualTo("urn:task:1");
        assertThat(route(GET, "/tasks/a+b").taskId()).isEqualTo("a+b");
    }

    @Test
    void otherPathsAndMethodsAreRefused() {
        assertThatThrownBy(() -> route(GET, "/message:send"))
                .isInstanceOfSatisfying(GatewayError.class, e -> {
                    assertThat(e.status()).isEqualTo(405);
                    assertThat(e.headers().get("Allow")).isEqualTo("POST");
                });
        assertThatThrownBy(() -> route(PUT, "/tasks/t-1/pushNotificationConfigs"))
                .isInstanceOfSatisfying(GatewayError.class, e -> assertThat(e.status()).isEqualTo(405));
        for (String path : new String[]{"/", "/nothing", "/a/b/c/d/e/f", "/tasks//x", "/message:delete", "/tasks/t/other"}) {
            assertThatThrownBy(() -> route(POST, path)).as(path)
                    .isInstanceOfSatisfying(GatewayError.class, e -> assertThat(e.status()).isEqualTo(404))
                    .hasMessageContaining("no A2A HTTP+JSON operation");
        }
        assertThatThrownBy(() -> route(GET, "/tasks/%zz")).isInstanceOfSatisfying(GatewayError.class,
                e -> assertThat(e.status()).isEqualTo(400));
    }
}
