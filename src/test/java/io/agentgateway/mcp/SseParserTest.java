package io.agentgateway.mcp;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SseParserTest {
    @Test
    void eventsSplitAnywhereAcrossChunksComeOutWhole() {
        String stream = "id: 1\r\nevent: endpoint\r\ndata: /message?sessionId=x\r\n\r\n: comment\n"
                + "data: {\"a\":\"é€\"}\n\nevent: message\rdata: line1\rdata: line2\r\r";
        byte[] bytes = stream.getBytes(StandardCharsets.UTF_8);
        for (int size = 1; size <= bytes.length; size++) {
            List<SseParser.Event> events = new ArrayList<>();
            SseParser p = new SseParser(events::add);
            for (int i = 0; i < bytes.length; i += size) {
                p.feed(Buffer.buffer(java.util.Arrays.copyOfRange(bytes, i, Math.min(bytes.length, i + size))));
            }
            p.end();
            // The last event id carries over to later events, as the SSE standard says.
            assertThat(events).as("chunks of %d", size).containsExactly(
                    new SseParser.Event("endpoint", "/message?sessionId=x", "1"),
                    new SseParser.Event("message", "{\"a\":\"é€\"}", "1"),
                    new SseParser.Event("message", "line1\nline2", "1"));
        }
    }

    @Test
    void anEventWithoutItsBlankLineIsDeliveredAtTheEnd() {
        List<SseParser.Event> events = new ArrayList<>();
        SseParser p = new SseParser(events::add);
        p.feed(Buffer.buffer("data: last"));
        p.end();
        assertThat(events).containsExactly(new SseParser.Event("message", "last", null));
    }

    @Test
    void aMultiMegabyteLineIsParsedWhole() {
        String big = "x".repeat(5 * 1024 * 1024);
        List<SseParser.Event> events = new ArrayList<>();
        SseParser p = new SseParser(events::add);
        Buffer all = Buffer.buffer("data: " + big + "\n\n");
        for (int i = 0; i < all.length(); i += 8192) {
            p.feed(all.getBuffer(i, Math.min(all.length(), i + 8192)));
        }
        assertThat(events).hasSize(1);
        assertThat(events.get(0).data()).hasSize(big.length());
    }
}
