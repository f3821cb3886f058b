package dev.switchboard.backplane.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.backplane.kafka.internal.RecordDecoder;
import dev.switchboard.emit.EmitMessage;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.kafka.CloudEventSerializer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

/** Records as the event source reads them: emit bodies, CloudEvents in both Kafka bindings, and poison. */
class RecordDecoderTest {
    static final String SEED_BODY = "{\"id\":\"message-id\",\"type\":\"notifications.drawer\",\"broadcast\":true,"
            + "\"users\":[],\"roles\":[],\"organizations\":[],"
            + "\"payload\":{\"title\":\"New notification\",\"description\":\"Some longer body\"}}";
    private final ObjectMapper mapper = new ObjectMapper();
    private final RecordDecoder decoder = new RecordDecoder(mapper);

    private RecordDecoder.Decoded decode(Headers headers, String value) {
        return decoder.decode(headers, value == null ? null : value.getBytes(StandardCharsets.UTF_8));
    }

    private static EmitMessage message(RecordDecoder.Decoded d) {
        assertThat(d).isInstanceOf(RecordDecoder.Message.class);
        return ((RecordDecoder.Message) d).message();
    }

    private static SkipReason reason(RecordDecoder.Decoded d) {
        assertThat(d).isInstanceOf(RecordDecoder.Poison.class);
        assertThat(((RecordDecoder.Poison) d).detail()).isNotBlank();
        return ((RecordDecoder.Poison) d).reason();
    }

    /** @return the headers and value the CloudEvents SDK's serializer writes for the event */
    static Map.Entry<Headers, byte[]> serialize(CloudEvent event, String encoding) {
        try (CloudEventSerializer s = new CloudEventSerializer()) {
            s.configure(Map.of(CloudEventSerializer.ENCODING_CONFIG, encoding,
                    CloudEventSerializer.EVENT_FORMAT_CONFIG, "application/cloudevents+json"), false);
            Headers headers = new RecordHeaders();
            byte[] value = s.serialize("t", headers, event);
            return new java.util.AbstractMap.SimpleEntry<>(headers, value);
        }
    }

    @Test
    void theSeedBodyIsAnEmitMessage() {
        EmitMessage m = message(decode(new RecordHeaders(), SEED_BODY));
        assertThat(m.id()).isEqualTo("message-id");
        assertThat(m.type()).isEqualTo("notifications.drawer");
        assertThat(m.broadcast()).isTrue();
        assertThat(m.payload().path("title").asText()).isEqualTo("New notification");
    }

    @Test
    void aBinaryCloudEventTakesItsAudienceFromExtensionAttributes() {
        CloudEvent event = CloudEventBuilder.v1().withId("ce-1").withSource(URI.create("/orders"))
                .withType("order.shipped").withDataContentType("application/json")
                .withData("{\"order\":42}".getBytes(StandardCharsets.UTF_8))
                .withExtension("users", "alice, bob").withExtension("roles", "admin")
                .withExtension("organizations", "acme").build();
        Map.Entry<Headers, byte[]> record = serialize(event, "BINARY");
        assertThat(record.getKey().lastHeader("ce_users")).isNotNull();

        EmitMessage m = message(decoder.decode(record.getKey(), record.getValue()));
        assertThat(m.id()).isEqualTo("ce-1");
        assertThat(m.type()).isEqualTo("order.shipped");
        assertThat(m.users()).containsExactly("alice", "bob");
        assertThat(m.roles()).containsExactly("admin");
        assertThat(m.organizations()).containsExactly("acme");
        assertThat(m.broadcast()).isFalse();
        assertThat(m.payload().path("order").asInt()).isEqualTo(42);
    }

    @Test
    void aStructuredCloudEventWithoutAttributesCarriesAnEmitBodyAsItsData() {
        CloudEvent event = CloudEventBuilder.v1().withId("ce-2").withSource(URI.create("/ops"))
                .withType("banner").withDataContentType("application/json")
                .withData("{\"topics\":[\"news\"],\"payload\":{\"text\":\"maintenance\"},\"id\":\"ignored\"}"
                        .getBytes(StandardCharsets.UTF_8))
                .build();
        Map.Entry<Headers, byte[]> record = serialize(event, "STRUCTURED");
        assertThat(new String(record.getValue(), StandardCharsets.UTF_8)).contains("\"specversion\"");

        EmitMessage m = message(decoder.decode(record.getKey(), record.getValue()));
        assertThat(m.id()).as("the event's id").isEqualTo("ce-2");
        assertThat(m.type()).isEqualTo("banner");
        assertThat(m.topics()).isEqualTo(Set.of("news"));
        assertThat(m.payload().path("text").asText()).isEqualTo("maintenance");
    }

    @Test
    void aBroadcastAttributeReachesEveryone() {
        CloudEvent event = CloudEventBuilder.v1().withId("ce-3").withSource(URI.create("/ops")).withType("t")
                .withExtension("broadcast", true).build();
        Map.Entry<Headers, byte[]> record = serialize(event, "BINARY");
        EmitMessage m = message(decoder.decode(record.getKey(), record.getValue()));
        assertThat(m.broadcast()).isTrue();
        assertThat(m.payload().isNull()).isTrue();
    }

    @Test
    void poisonRecordsAreNamedByReason() {
        assertThat(reason(decode(new RecordHeaders(), "not json {"))).isEqualTo(SkipReason.NOT_JSON);
        assertThat(reason(decode(new RecordHeaders(), null))).isEqualTo(SkipReason.NOT_JSON);
        assertThat(reason(decode(new RecordHeaders(), "{\"broadcast\":true}"))).isEqualTo(SkipReason.NO_TYPE);
        assertThat(reason(decode(new RecordHeaders(), "{\"type\":\"t\",\"payload\":1}"))).isEqualTo(SkipReason.NO_AUDIENCE);
        assertThat(reason(decode(new RecordHeaders(), "{\"type\":\"t\",\"roles\":[\"admin\"]}")))
                .as("roles without organisations").isEqualTo(SkipReason.INVALID);
        assertThat(reason(decode(new RecordHeaders(), "{\"type\":\"t\",\"users\":\"alice\"}"))).isEqualTo(SkipReason.INVALID);
        assertThat(reason(decode(new RecordHeaders(), "[1,2]"))).isEqualTo(SkipReason.INVALID);

        CloudEvent noAudience = CloudEventBuilder.v1().withId("x").withSource(URI.create("/s")).withType("t")
                .withDataContentType("application/json").withData("[1]".getBytes(StandardCharsets.UTF_8)).build();
        Map.Entry<Headers, byte[]> r = serialize(noAudience, "BINARY");
        assertThat(reason(decoder.decode(r.getKey(), r.getValue()))).isEqualTo(SkipReason.NO_AUDIENCE);

        CloudEvent badData = CloudEventBuilder.v1().withId("y").withSource(URI.create("/s")).withType("t")
                .withExtension("broadcast", true).withDataContentType("application/json")
                .withData("{oops".getBytes(StandardCharsets.UTF_8)).build();
        r = serialize(badData, "BINARY");
        assertThat(reason(decoder.decode(r.getKey(), r.getValue()))).isEqualTo(SkipReason.NOT_JSON);

        Headers unknownVersion = new RecordHeaders();
        unknownVersion.add("ce_specversion", "9.9".getBytes(StandardCharsets.UTF_8));
        unknownVersion.add("ce_id", "z".getBytes(StandardCharsets.UTF_8));
        assertThat(reason(decode(unknownVersion, "{}"))).isEqualTo(SkipReason.BAD_CLOUDEVENT);
        Headers structured = new RecordHeaders();
        structured.add("content-type", "application/cloudevents+json".getBytes(StandardCharsets.UTF_8));
        assertThat(reason(decode(structured, "{\"specversion\":\"1.0\"}"))).isEqualTo(SkipReason.BAD_CLOUDEVENT);
    }
}
