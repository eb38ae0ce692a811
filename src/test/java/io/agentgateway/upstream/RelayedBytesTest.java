package io.agentgateway.upstream;

import io.agentgateway.server.SseEvent;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RelayedBytesTest {
    private static List<SseEvent> events(Buffer chunk) {
        List<SseEvent> events = new ArrayList<>();
        new SseDecoder(events::add).feed(chunk);
        return events;
    }

    @Test
    void aChunkWhoseEventsAllPassIsTheChunkItself() {
        Buffer chunk = Buffer.buffer("data: 1\n\ndata: 2\n\ndata: 3\n\n");
        RelayedBytes out = new RelayedBytes();
        events(chunk).forEach(out::forward);
        assertThat(out.take()).isSameAs(chunk);
        assertThat(out.isEmpty()).isTrue();
    }

    @Test
    void adjacentEventsStayOneViewAndAGapIsSplicedOut() {
        Buffer chunk = Buffer.buffer("data: 1\n\ndata: 2\n\ndata: usage\n\ndata: [DONE]\n\n");
        List<SseEvent> events = events(chunk);
        RelayedBytes out = new RelayedBytes();
        out.forward(events.get(0));
        out.forward(events.get(1));
        assertThat(out.isEmpty()).isFalse();
        out.forward(events.get(3));
        assertThat(out.take().toString()).isEqualTo("data: 1\n\ndata: 2\n\ndata: [DONE]\n\n");
        assertThat(chunk.toString()).isEqualTo("data: 1\n\ndata: 2\n\ndata: usage\n\ndata: [DONE]\n\n");

        out.forward(events.get(1));
        out.forward(events.get(2));
        assertThat(out.take().toString()).isEqualTo("data: 2\n\ndata: usage\n\n");
    }

    @Test
    void bytesOfTheGatewaysOwnComeAfterWhatWasForwardedInOrder() {
        List<SseEvent> events = events(Buffer.buffer("data: 1\n\ndata: 2\n\n"));
        RelayedBytes out = new RelayedBytes();
        out.forward(events.get(0));
        out.buffer().appendString("data: own\n\n");
        out.forward(events.get(1));
        assertThat(out.take().toString()).isEqualTo("data: 1\n\ndata: own\n\ndata: 2\n\n");
        assertThat(out.isEmpty()).isTrue();
        assertThat(out.take().length()).isZero();
        assertThat(out.buffer().appendString("x").toString()).isEqualTo("x");
        assertThat(out.take().toString()).isEqualTo("x");
    }

    @Test
    void eventsOfDifferentChunksAreJoined() {
        List<SseEvent> first = events(Buffer.buffer("data: 1\n\n"));
        List<SseEvent> second = events(Buffer.buffer("data: 2\n\n"));
        RelayedBytes out = new RelayedBytes();
        out.forward(first.get(0));
        out.forward(second.get(0));
        assertThat(out.take().toString()).isEqualTo("data: 1\n\ndata: 2\n\n");
    }
}
