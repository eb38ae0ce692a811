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

    @Test
    void theRawBytesOfEveryEventAndCommentAreTheStreamItselfWhateverTheChunking() {
        // CRLF, CR and LF endings, multi-line and empty data, unicode, an unknown field, a retry, a
        // comment inside an event, an event with no data, and an id with a NUL (ignored).
        String stream = "data: {\"a\":1}\r\n\r\n: ping\n\nevent: x\ndata: l1\ndata:\ndata: l3\n\n"
                + "data:no-space\rretry: 10\r\rid: 7\n: note\ndata: é€😀\n\nevent: only\n\nid: a\0b\nfoo: bar\ndata: [DONE]\n\n";
        byte[] bytes = stream.getBytes(StandardCharsets.UTF_8);
        java.util.Random random = new java.util.Random(7);
        for (int round = 0; round < 300; round++) {
            List<String> seen = new ArrayList<>();
            Buffer relayed = Buffer.buffer();
            SseDecoder p = new SseDecoder(e -> {
                seen.add(e.type() + "|" + e.data() + "|" + e.id() + "|" + e.isDone() + "|" + e.dataIsEmpty());
                relayed.appendBuffer(e.raw());
            }, relayed::appendBuffer);
            int i = 0;
            while (i < bytes.length) {
                int size = round == 0 ? bytes.length : 1 + random.nextInt(round % 3 == 0 ? 3 : 40);
                p.feed(Buffer.buffer(java.util.Arrays.copyOfRange(bytes, i, Math.min(bytes.length, i + size))));
                i += size;
            }
            p.end();
            assertThat(seen).as("round %d", round).containsExactly(
                    "message|{\"a\":1}|null|false|false",
                    "x|l1\n\nl3|null|false|false",
                    "message|no-space|null|false|false",
                    "message|é€😀|7|false|false",
                    "only||7|false|true",
                    "message|[DONE]|7|true|false");
            assertThat(relayed.toString(StandardCharsets.UTF_8)).as("round %d", round).isEqualTo(stream);
        }
    }

    @Test
    void anEventThatArrivesWholeIsAViewOfItsChunkAndItsDataIsReadWhereItLies() throws Exception {
        List<io.agentgateway.server.SseEvent> events = new ArrayList<>();
        SseDecoder p = new SseDecoder(events::add);
        Buffer chunk = Buffer.buffer("data: {\"model\":\"m\"}\n\ndata: [DONE]\n\n");
        p.feed(chunk);
        assertThat(events).hasSize(2);
        assertThat(events.get(0).bytes()).isSameAs(chunk);
        assertThat(events.get(0).start()).isZero();
        assertThat(events.get(1).start()).isEqualTo(events.get(0).end());
        assertThat(events.get(1).end()).isEqualTo(chunk.length());
        try (com.fasterxml.jackson.core.JsonParser parser = events.get(0).dataParser()) {
            assertThat(parser.nextToken()).isEqualTo(com.fasterxml.jackson.core.JsonToken.START_OBJECT);
            assertThat(parser.nextFieldName()).isEqualTo("model");
            assertThat(parser.nextTextValue()).isEqualTo("m");
        }
        assertThat(events.get(1).isDone()).isTrue();
    }

    @Test
    void aChunkIsNeverWrittenToAndAnEventLeftOverIsCopied() {
        List<io.agentgateway.server.SseEvent> events = new ArrayList<>();
        SseDecoder p = new SseDecoder(events::add);
        Buffer first = Buffer.buffer("data: a\n\ndata: b");
        Buffer second = Buffer.buffer("c\n\n");
        p.feed(first);
        p.feed(second);
        assertThat(first.toString()).isEqualTo("data: a\n\ndata: b");
        assertThat(second.toString()).isEqualTo("c\n\n");
        assertThat(events).extracting(io.agentgateway.server.SseEvent::data).containsExactly("a", "bc");
        assertThat(events.get(1).raw().toString()).isEqualTo("data: bc\n\n");
        assertThat(events.get(1).bytes()).isNotSameAs(first).isNotSameAs(second);
    }
}
