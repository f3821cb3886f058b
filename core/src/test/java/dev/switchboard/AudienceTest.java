package dev.switchboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

class AudienceTest {
    private final Identity aliceAdmin = Identity.builder("alice").roles("admin").organisations("acme").build();
    private final Identity bobUser = Identity.builder("bob").roles("user").organisations("acme").build();
    private final Identity carolAdmin = Identity.builder("carol").roles("admin").organisations("globex").build();

    @Test
    void everyoneMatchesAll() {
        assertThat(Audience.everyone().matches("c1", Identity.anonymous(), Set.of())).isTrue();
    }

    @Test
    void connectionsUsersAndTopics() {
        assertThat(Audience.connection("c1").matches("c1", bobUser, Set.of())).isTrue();
        assertThat(Audience.connection("c1").matches("c2", bobUser, Set.of())).isFalse();
        assertThat(Audience.user("bob").matches("c9", bobUser, Set.of())).isTrue();
        assertThat(Audience.user("bob").matches("c9", Identity.anonymous(), Set.of())).isFalse();
        assertThat(Audience.topic("lobby").matches("c9", bobUser, Set.of("lobby", "x"))).isTrue();
        assertThat(Audience.topic("lobby").matches("c9", bobUser, Set.of("x"))).isFalse();
    }

    @Test
    void organisationsWithAndWithoutRoles() {
        Audience acme = Audience.organisations("acme");
        assertThat(acme.matches("c", aliceAdmin, Set.of())).isTrue();
        assertThat(acme.matches("c", bobUser, Set.of())).isTrue();
        assertThat(acme.matches("c", carolAdmin, Set.of())).isFalse();
        Audience acmeAdmins = Audience.organisations("acme").roles("admin");
        assertThat(acmeAdmins.matches("c", aliceAdmin, Set.of())).isTrue();
        assertThat(acmeAdmins.matches("c", bobUser, Set.of())).isFalse();
        assertThat(acmeAdmins.matches("c", carolAdmin, Set.of())).isFalse();
    }

    @Test
    void rolesAloneMatchInAnyOrganisation() {
        Audience admins = Audience.withRoles("admin");
        assertThat(admins.matches("c", aliceAdmin, Set.of())).isTrue();
        assertThat(admins.matches("c", carolAdmin, Set.of())).isTrue();
        assertThat(admins.matches("c", bobUser, Set.of())).isFalse();
    }

    @Test
    void exceptWinsOverEveryForm() {
        assertThat(Audience.everyone().exceptConnections("c1").matches("c1", bobUser, Set.of())).isFalse();
        assertThat(Audience.everyone().exceptUsers("bob").matches("c2", bobUser, Set.of())).isFalse();
        assertThat(Audience.topic("t").exceptUsers("bob").matches("c2", aliceAdmin, Set.of("t"))).isTrue();
    }

    @Test
    void combinedFormsAreAUnion() {
        Audience a = Audience.user("alice").andTopics(Set.of("news"));
        assertThat(a.matches("c", aliceAdmin, Set.of())).isTrue();
        assertThat(a.matches("c", bobUser, Set.of("news"))).isTrue();
        assertThat(a.matches("c", carolAdmin, Set.of())).isFalse();
        assertThat(Audience.user().isEmpty()).isTrue();
    }
}
