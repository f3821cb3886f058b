package dev.switchboard.emit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.Audience;
import dev.switchboard.Identity;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The emit body: seed 002's fields exactly, plus topics and connections; every malformed field named. */
class EmitMessageTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** The body of the seed's fetch call, as JSON.stringify writes it. */
    static final String SEED_BODY = """
            {"id":"message-id","type":"notifications.drawer","broadcast":true,"users":[],"roles":[],\
            "organizations":[],"payload":{"title":"New notification","description":"Some longer body"}}""";

    private static EmitMessage parse(String json) {
        return EmitMessage.fromJson(json.getBytes(StandardCharsets.UTF_8), MAPPER);
    }

    @Test
    void theSeedBodyIsABroadcast() {
        EmitMessage m = parse(SEED_BODY);
        assertThat(m.id()).isEqualTo("message-id");
        assertThat(m.type()).isEqualTo("notifications.drawer");
        assertThat(m.payload().get("title").asText()).isEqualTo("New notification");
        assertThat(m.broadcast()).isTrue();
        assertThat(m.audience()).isEqualTo(Audience.everyone());
    }

    @Test
    void theAudienceIsTheUnionOfWhatIsNamed() {
        EmitMessage m = parse("""
                {"id":"1","type":"t","users":["dave"],"roles":["admin"],"organizations":["acme"],
                 "topics":["news"],"connections":["c-1"]}""");
        Audience a = m.audience();
        assertThat(a.users()).containsExactly("dave");
        assertThat(a.topics()).containsExactly("news");
        assertThat(a.connections()).containsExactly("c-1");
        // Roles apply within the organisations: an admin of acme, not an admin of globex.
        Identity acmeAdmin = Identity.builder("alice").roles("admin").organisations("acme").build();
        Identity acmeUser = Identity.builder("bob").roles("user").organisations("acme").build();
        Identity globexAdmin = Identity.builder("carol").roles("admin").organisations("globex").build();
        assertThat(a.matches("c-9", acmeAdmin, Set.of())).isTrue();
        assertThat(a.matches("c-9", acmeUser, Set.of())).isFalse();
        assertThat(a.matches("c-9", globexAdmin, Set.of())).isFalse();
        assertThat(a.matches("c-9", Identity.user("dave"), Set.of())).isTrue();
        assertThat(a.matches("c-9", Identity.anonymous(), Set.of("news"))).isTrue();
        assertThat(a.matches("c-1", Identity.anonymous(), Set.of())).isTrue();
    }

    @Test
    void organisationsWithoutRolesMeanEveryMember() {
        Audience a = parse("{\"type\":\"t\",\"organizations\":[\"acme\"]}").audience();
        assertThat(a.matches("c", Identity.builder("bob").roles("user").organisations("acme").build(), Set.of()))
                .isTrue();
    }

    @Test
    void aMissingIdIsGeneratedAndAMissingPayloadIsNull() {
        EmitMessage m = parse("{\"type\":\"t\",\"broadcast\":true}");
        assertThat(m.id()).hasSize(36);
        assertThat(m.payload().isNull()).isTrue();
        assertThat(parse("{\"type\":\"t\",\"broadcast\":true}").id()).isNotEqualTo(m.id());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "id not a string          | {\"id\":7,\"type\":\"t\",\"broadcast\":true}              | id",
        "id empty                 | {\"id\":\"\",\"type\":\"t\",\"broadcast\":true}            | id",
        "type missing             | {\"id\":\"1\",\"broadcast\":true}                          | type",
        "type not a string        | {\"type\":{},\"broadcast\":true}                           | type",
        "type blank               | {\"type\":\"  \",\"broadcast\":true}                       | type",
        "broadcast not a boolean  | {\"type\":\"t\",\"broadcast\":\"yes\"}                     | broadcast",
        "users not an array       | {\"type\":\"t\",\"users\":\"alice\"}                       | users",
        "users with a number      | {\"type\":\"t\",\"users\":[\"alice\",3]}                   | users",
        "users with a blank       | {\"type\":\"t\",\"users\":[\" \"]}                         | users",
        "roles not an array       | {\"type\":\"t\",\"roles\":{},\"organizations\":[\"o\"]}    | roles",
        "roles without orgs       | {\"type\":\"t\",\"roles\":[\"admin\"]}                     | roles",
        "organizations not array  | {\"type\":\"t\",\"organizations\":true}                    | organizations",
        "topics with null         | {\"type\":\"t\",\"topics\":[null]}                         | topics",
        "connections not array    | {\"type\":\"t\",\"connections\":1}                         | connections",
    })
    void aMalformedFieldIsNamed(String what, String body, String field) {
        assertThatThrownBy(() -> parse(body))
                .isInstanceOfSatisfying(InvalidEmitException.class, e -> {
                    assertThat(e.field()).isEqualTo(field);
                    assertThat(e.getMessage()).contains("\"" + field + "\"");
                });
    }

    @Test
    void bodiesThatAreNotAMessageAreRefusedWithoutAField() {
        for (String body : new String[] {"{\"type\":", "[]", "\"text\"", "", "{\"type\":\"t\"}",
                "{\"type\":\"t\",\"broadcast\":false,\"users\":[]}"}) {
            assertThatThrownBy(() -> parse(body)).as(body)
                    .isInstanceOfSatisfying(InvalidEmitException.class, e -> assertThat(e.field()).isNull());
        }
    }

    @Test
    void tooLongNamesAndListsAreRefused() {
        String longName = "x".repeat(EmitMessage.MAX_NAME_LENGTH + 1);
        assertThatThrownBy(() -> EmitMessage.builder(longName).broadcast(true).build())
                .isInstanceOfSatisfying(InvalidEmitException.class, e -> assertThat(e.field()).isEqualTo("type"));
        String[] many = new String[EmitMessage.MAX_LIST_SIZE + 1];
        for (int i = 0; i < many.length; i++) {
            many[i] = "u" + i;
        }
        assertThatThrownBy(() -> EmitMessage.builder("t").users(many).build())
                .isInstanceOfSatisfying(InvalidEmitException.class, e -> assertThat(e.field()).isEqualTo("users"));
    }

    @Test
    void theBuilderMakesTheSameMessageAsTheParser() {
        EmitMessage built = EmitMessage.builder("t").id("1").users("alice").organizations("acme").roles("admin")
                .payload(MAPPER.createObjectNode().put("a", 1)).build();
        EmitMessage parsed = parse("""
                {"id":"1","type":"t","users":["alice"],"organizations":["acme"],"roles":["admin"],"payload":{"a":1}}""");
        assertThat(built).isEqualTo(parsed);
    }
}
