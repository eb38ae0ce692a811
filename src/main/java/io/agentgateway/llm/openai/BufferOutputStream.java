package io.agentgateway.llm.openai;

import io.vertx.core.buffer.Buffer;

import java.io.OutputStream;

/**
 * Lets a Jackson generator write straight into a Vert.x {@link Buffer}, with no intermediate
 * byte array. The target can be changed between documents so one instance serves a whole
 * stream. Not thread-safe.
 */
public final class BufferOutputStream extends OutputStream {
    private Buffer target;

    public BufferOutputStream(Buffer target) {
        this.target = target;
    }

    public BufferOutputStream target(Buffer target) {
        this.target = target;
        return this;
    }

    @Override
    public void write(int b) {
        target.appendByte((byte) b);
    }

    @Override
    public void write(byte[] b, int off, int len) {
        target.appendBytes(b, off, len);
    }
}
