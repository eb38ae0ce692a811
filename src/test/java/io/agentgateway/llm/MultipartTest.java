package io.agentgateway.llm;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MultipartTest {
    static final String FORM = "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"model\"\r\n"
            + "Content-Type: audio/mpeg\r\n\r\nname=\"model\" bytes\r\n--XyZ\r\n"
            + "Content-Disposition: form-data; name=\"model\"\r\nContent-Type: text/plain\r\n\r\nwhisper-1\r\n--XyZ--\r\n";

    @Test
    void findsTheNamedFieldNotAFileCalledTheSame() {
        Buffer body = Buffer.buffer(FORM);
        Multipart.Span span = Multipart.field(body, "XyZ", "model");
        assertThat(body.getString(span.start(), span.end())).isEqualTo("whisper-1");
        assertThat(Multipart.field(body, "XyZ", "prompt")).isNull();
    }

    @Test
    void readsTheBoundaryQuotedOrNot() {
        assertThat(Multipart.boundary("multipart/form-data; boundary=XyZ")).isEqualTo("XyZ");
        assertThat(Multipart.boundary("Multipart/Form-Data; charset=utf-8; boundary=\"a b\"")).isEqualTo("a b");
        assertThat(Multipart.boundary("application/json")).isNull();
        assertThat(Multipart.boundary(null)).isNull();
    }
}
