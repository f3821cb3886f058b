package dev.switchboard.backplane.postgres.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PayloadsTest {
    private final Payloads payloads = new Payloads(100);

    @Test
    void sendsUtf8AsTextAndEverythingElseAsBase64() {
        byte[] text = "{\"x\":\"\u00e9\u4e16\"}".getBytes(StandardCharsets.UTF_8);
        String p = payloads.inline(text, true);
        assertThat(p).startsWith("t").endsWith("{\"x\":\"\u00e9\u4e16\"}");
        assertThat(Payloads.decode(p).message()).isEqualTo(text);

        byte[] binary = {0, 1, (byte) 0xff, (byte) 0xc3};
        String b = payloads.inline(binary, true);
        assertThat(b).startsWith("b");
        assertThat(Payloads.decode(b).message()).isEqualTo(binary);

        assertThat(payloads.inline(text, false)).startsWith("b");
        assertThat(Payloads.decode(payloads.inline(text, false)).message()).isEqualTo(text);
    }

    @Test
    void equalMessagesGetDistinctPayloadsSoPostgresDoesNotFoldThem() {
        byte[] m = "same".getBytes(StandardCharsets.UTF_8);
        assertThat(payloads.inline(m, true)).isNotEqualTo(payloads.inline(m, true));
    }

    @Test
    void messagesOverTheThresholdGoByReference() {
        assertThat(payloads.inline(new byte[95], true)).isNull();
        assertThat(payloads.inline("x".repeat(90).getBytes(StandardCharsets.UTF_8), true)).isNotNull();
        // base64 grows by a third: 80 binary bytes are 108 characters
        assertThat(payloads.inline(new byte[80], true)).isNull();
        String ref = payloads.reference(42);
        assertThat(Payloads.decode(ref).isReference()).isTrue();
        assertThat(Payloads.decode(ref).attachmentId()).isEqualTo(42);
    }

    @Test
    void rejectsForeignPayloadsAndBadThresholds() {
        assertThatThrownBy(() -> Payloads.decode("hello")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Payloads.decode("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Payloads.decode("z1:x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Payloads.decode("a1:notanumber")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Payloads(8000)).isInstanceOf(IllegalArgumentException.class);
    }
}
