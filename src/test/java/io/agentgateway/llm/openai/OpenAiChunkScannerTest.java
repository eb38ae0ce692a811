package io.agentgateway.llm.openai;

import io.agentgateway.server.SseEvent;
import io.agentgateway.upstream.SseDecoder;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A stream's events scanned by its one fed parser ({@link OpenAiChunkScanner#scan(SseEvent)}) read
 * the same facts, and fail on the same events, as each event's data scanned as text by a parser of
 * its own ({@link OpenAiChunkScanner#scan(String)}), whatever comes before and after them.
 */
class OpenAiChunkScannerTest {
    private static final List<String> CHUNKS = List.of(
            "{\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"model\":\"gpt-4o\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"Hello!\"},\"finish_reason\":null}]}",
            "{\"model\":\"gpt-4o\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"caf\\u00e9 \\\"q\\\" \\ud83d\\ude00 é€😀\"}}]}",
            "{\"model\":\"gpt-4o-mini\",\"choices\":[{\"delta\":{\"tool_calls\":[{\"function\":{\"arguments\":\"{\\\"a\\\":1}\"}}]}}]}",
            "{\"choices\":[{\"delta\":{\"reasoning_content\":\"think\",\"refusal\":\"no\"},\"finish_reason\":\"stop\"}]}",
            "{\"choices\":[],\"usage\":{\"prompt_tokens\":19,\"completion_tokens\":2,\"total_tokens\":21,\"prompt_tokens_details\":{\"cached_tokens\":3}}}",
            "{\"choices\":[],\"usage\":{\"input_tokens\":123456789012345678901234567890,\"output_tokens\":1.5e3}}",
            "{\"usage\":{\"prompt_tokens\":1},\"usage\":{\"completion_tokens\":4}, \"model\":\"a\",\"model\":\"b\"}",
            "{\"choices\":[{\"text\":\"legacy\"}],\"usage\":null,\"model\":7}",
            "{\"nested\":{\"deep\":[[[{\"x\":[1,2,{\"y\":\"z\"}]}]]]},\"choices\":[1,2]}",
            "  {\"model\":\"spaced\"}\t ",
            "{}",
            "{\"a\":1} x",
            "{\"a\":1} 5",
            "{\"a\":1}{\"b\":2}",
            "{\"model\":\"trunc",
            "{\"usage\":{\"prompt_tokens\":5",
            "[1,2]",
            "5",
            "not json",
            "{\"model\":\"x\",}",
            "{\"a\":tru}");

    @Test
    void theFedParserReadsWhatAParserPerEventReads() {
        Random random = new Random(42);
        for (int round = 0; round < 400; round++) {
            List<byte[]> datas = new ArrayList<>();
            int n = 1 + random.nextInt(8);
            for (int i = 0; i < n; i++) {
                byte[] data = CHUNKS.get(random.nextInt(CHUNKS.size())).getBytes(StandardCharsets.UTF_8);
                switch (round % 4) {
                    case 1 -> data = Arrays.copyOf(data, random.nextInt(data.length + 1));
                    case 2 -> {
                        data = data.clone();
                        data[random.nextInt(data.length)] = (byte) random.nextInt(256);
                    }
                    default -> {
                    }
                }
                if (indexOf(data, (byte) '\n') < 0 && indexOf(data, (byte) '\r') < 0) {
                    datas.add(data);
                }
            }
            Buffer stream = Buffer.buffer();
            for (byte[] data : datas) {
                stream.appendString("data: ").appendBytes(data).appendString("\n\n");
            }
            List<SseEvent> events = new ArrayList<>();
            new SseDecoder(events::add).feed(stream);
            OpenAiChunkScanner fed = new OpenAiChunkScanner();
            OpenAiChunkScanner perEvent = new OpenAiChunkScanner();
            for (SseEvent event : events) {
                if (event.dataIsEmpty() || event.isDone()) {
                    continue;
                }
                String want = outcome(perEvent, () -> perEvent.scan(event.data()));
                String got = outcome(fed, () -> fed.scan(event));
                assertThat(got).as("round %d, data %s", round, event.data()).isEqualTo(want);
            }
        }
    }

    @Test
    void aChunkThatIsNotUtf8IsReadAsTheTextItDecodesTo() throws Exception {
        Buffer stream = Buffer.buffer("data: {\"model\":\"").appendBytes(new byte[]{(byte) 0xff, 'x'})
                .appendString("\",\"choices\":[{\"delta\":{\"content\":\"ab\"}}]}\n\ndata: {\"model\":\"m\"}\n\n");
        List<SseEvent> events = new ArrayList<>();
        new SseDecoder(events::add).feed(stream);
        OpenAiChunkScanner scanner = new OpenAiChunkScanner();
        scanner.scan(events.get(0));
        assertThat(scanner.model()).isEqualTo("\uFFFDx");
        assertThat(scanner.contentChars()).isEqualTo(2);
        scanner.scan(events.get(1));
        assertThat(scanner.model()).isEqualTo("m");
    }

    private interface Scan {
        void run() throws Exception;
    }

    private static String outcome(OpenAiChunkScanner scanner, Scan scan) {
        String failed;
        try {
            scan.run();
            failed = "ok choices=" + scanner.choices();
        } catch (Exception e) {
            failed = "failed";
        }
        return failed + " usage=" + scanner.usage() + " model=" + scanner.model() + " chars=" + scanner.contentChars()
                + " finish=" + scanner.sawFinishReason();
    }

    private static int indexOf(byte[] bytes, byte b) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }
}
