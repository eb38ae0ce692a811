package io.agentgateway.upstream;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SseDecoderTest {
    /** What MCP reads of an event: its type, data and last event id. */
    private record Event(String event, String data, String id) {
    }

    private static SseDecoder decoder(List<Event> events) {
        return new SseDecoder(e -> events.add(new Event(e.type(), e.data(), e.id())));
    }

    @Test
    void eventsSplitAnywhereAcrossChunksComeOutWhole() {
        String stream = "id: 1\r\nevent: endpoint\r\ndata: /message?sessionId=x\r\n\r\n: comment\n"
                + "data: {\"a\":\"é€\"}\n\nevent: message\rdata: line1\rdata: line2\r\r";
        byte[] bytes = stream.getBytes(StandardCharsets.UTF_8);
        for (int size = 1; size <= bytes.length; size++) {
            List<Event> events = new ArrayList<>();
            SseDecoder p = decoder(events);
            for (int i = 0; i < bytes.length; i += size) {
                p.feed(Buffer.buffer(java.util.Arrays.copyOfRange(bytes, i, Math.min(bytes.length, i + size))));
            }
            p.end();
            // The last event id carries over to later events, as the SSE standard says.
            assertThat(events).as("chunks of %d", size).containsExactly(
                    new Event("endpoint", "/message?sessionId=x", "1"),
                    new Event("message", "{\"a\":\"é€\"}", "1"),
                    new Event("message", "line1\nline2", "1"));
        }
    }

    @Test
    void anEventWithoutItsBlankLineIsDeliveredAtTheEnd() {
        List<Event> events = new ArrayList<>();
        SseDecoder p = decoder(events);
        p.feed(Buffer.buffer("data: last"));
        p.end();
        assertThat(events).containsExactly(new Event("message", "last", null));
    }

    @Test
    void aMultiMegabyteLineIsParsedWhole() {
        String big = "x".repeat(5 * 1024 * 1024);
        List<Event> events = new ArrayList<>();
        SseDecoder p = decoder(events);
        Buffer all = Buffer.buffer("data: " + big + "\n\n");
        for (int i = 0; i < all.length(); i += 8192) {
            p.feed(all.getBuffer(i, Math.min(all.length(), i + 8192)));
        }
        assertThat(events).hasSize(1);
        assertThat(events.get(0).data()).hasSize(big.length());
    }

    @Test
    void commentOnlyBlocksAreToldRawWhateverTheChunking() {
        byte[] bytes = ": ping\n\ndata: a\n\n: keep-alive\n: second\n\n".getBytes(StandardCharsets.UTF_8);
        for (int size = 1; size <= bytes.length; size++) {
            List<String> seen = new ArrayList<>();
            SseDecoder p = new SseDecoder(e -> seen.add("event " + e.data()), c -> seen.add("comment " + c.toString()));
            for (int i = 0; i < bytes.length; i += size) {
                p.feed(Buffer.buffer(java.util.Arrays.copyOfRange(bytes, i, Math.min(bytes.length, i + size))));
            }
            assertThat(seen).as("chunks of %d", size)
                    .containsExactly("comment : ping\n\n", "event a", "comment : keep-alive\n: second\n\n");
        }
    }
}
