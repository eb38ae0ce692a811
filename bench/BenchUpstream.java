import io.agentgateway.a2a.demo.DemoAgentServer;
import io.agentgateway.mcp.demo.DemoMcpServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServerResponse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The upstreams of the bench's MCP, A2A and held-stream rows, in one process that the gateway and
 * nginx both proxy to: the gateway's own demo MCP server and demo A2A agents (the same code the
 * quickstart runs in-process), and a slow OpenAI-style SSE stream (one chunk a second, for as long
 * as the client stays) to hold thousands of streams open through the gateway.
 *
 * <p>Run from the source with the gateway jar on the class path; writes the three base URLs, one
 * per line, to the file named by its argument once every server listens:
 * {@code java -cp target/agentgateway.jar bench/BenchUpstream.java URLS_FILE}
 */
public final class BenchUpstream {
    private static final String CHUNK = "data: {\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\","
            + "\"created\":1741569952,\"model\":\"gpt-4o\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"tick \"},"
            + "\"finish_reason\":null}]}\n\n";

    public static void main(String[] args) throws Exception {
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setPreferNativeTransport(true));
        DemoMcpServer mcp = new DemoMcpServer(vertx, "bench");
        DemoAgentServer a2a = new DemoAgentServer(vertx, Clock.systemUTC(), "bench");
        Set<HttpServerResponse> open = ConcurrentHashMap.newKeySet();
        vertx.setPeriodic(1000, id -> open.forEach(r -> r.write(CHUNK)));
        Future<String> slow = vertx.createHttpServer().requestHandler(request -> {
            HttpServerResponse response = request.response();
            request.body().onSuccess(body -> {
                response.setChunked(true).putHeader("content-type", "text/event-stream").write(CHUNK);
                open.add(response);
                response.closeHandler(v -> open.remove(response));
            });
        }).listen(0, "127.0.0.1").map(s -> "http://127.0.0.1:" + s.actualPort());
        Future.all(mcp.start(), a2a.start(), slow).onComplete(all -> {
            if (all.failed()) {
                all.cause().printStackTrace();
                System.exit(1);
            }
            try {
                Path out = Path.of(args[0]);
                Path tmp = Path.of(args[0] + ".tmp");
                Files.writeString(tmp, all.result().resultAt(0) + "\n" + all.result().resultAt(1) + "\n"
                        + all.result().resultAt(2) + "\n");
                Files.move(tmp, out);
            } catch (Exception e) {
                e.printStackTrace();
                System.exit(1);
            }
        });
    }
}
