package dev.switchboard.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.ClusterTrust;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ClusterSignerTest {
    private static final String KEY = "test-cluster-key-0123456789-abcdefghijkl";
    private static final String NEW_KEY = "test-cluster-key-rotated-9876543210-mnop";
    private static final byte[] MESSAGE = "{\"v\":1,\"from\":\"n-1\",\"kind\":\"heartbeat\"}".getBytes(StandardCharsets.UTF_8);

    private final AtomicLong now = new AtomicLong(1_800_000_000_000L);

    private ClusterSigner signer(ClusterTrust trust) {
        return new ClusterSigner(trust, now::get, () -> "n-test");
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    @Test
    void aSignedMessageIsVerifiedAndComesBackAsSent() {
        ClusterTrust trust = ClusterTrust.builder().key(KEY).build();
        byte[] signed = signer(trust).sign(MESSAGE);
        assertThat(text(signed)).startsWith("#sbsig1 " + trust.keyId() + " " + now.get() + " ").endsWith(text(MESSAGE));
        assertThat(signed.length - MESSAGE.length).isLessThanOrEqualTo(signer(trust).overhead());
        ClusterSigner.Admitted a = signer(trust).admit(signed);
        assertThat(a).isNotNull();
        assertThat(a.message()).isEqualTo(MESSAGE);
        assertThat(a.trusted()).isTrue();
    }

    @Test
    void anAlteredByteAnotherKeyOrAnUnknownKeyIdIsDroppedAndCounted() {
        ClusterSigner receiver = signer(ClusterTrust.builder().key(KEY).build());
        byte[] signed = signer(ClusterTrust.builder().key(KEY).build()).sign(MESSAGE);
        for (int i = 0; i < signed.length; i++) {
            byte[] altered = signed.clone();
            altered[i] ^= 1;
            assertThat(receiver.admit(altered)).as("byte %d altered", i).isNull();
        }
        assertThat(receiver.admit(signer(ClusterTrust.builder().key(NEW_KEY).build()).sign(MESSAGE))).isNull();
        assertThat(receiver.untrusted()).isEqualTo(signed.length + 1);
    }

    @Test
    void aKeyOfTheSameIdButAnotherSecretCannotSign() {
        ClusterTrust trust = ClusterTrust.builder().key(KEY).build();
        byte[] signed = signer(ClusterTrust.builder().key(NEW_KEY).build()).sign(MESSAGE);
        String forged = text(signed).replaceFirst(ClusterTrust.builder().key(NEW_KEY).build().keyId(), trust.keyId());
        assertThat(signer(trust).admit(forged.getBytes(StandardCharsets.UTF_8))).isNull();
    }

    @Test
    void duringARotationBothKeysAreAccepted() {
        ClusterTrust a = ClusterTrust.builder().key(NEW_KEY).previousKeys(KEY).build();
        ClusterTrust b = ClusterTrust.builder().key(KEY).previousKeys(NEW_KEY).build();
        assertThat(signer(b).admit(signer(a).sign(MESSAGE)).message()).isEqualTo(MESSAGE);
        assertThat(signer(a).admit(signer(b).sign(MESSAGE)).message()).isEqualTo(MESSAGE);
        // After the rotation, the old key is gone.
        ClusterTrust after = ClusterTrust.builder().key(NEW_KEY).build();
        assertThat(signer(after).admit(signer(b).sign(MESSAGE))).isNull();
    }

    @Test
    void aMessageStampedOutsideMaxAgeEitherWayIsDroppedAsAReplay() {
        ClusterTrust trust = ClusterTrust.builder().key(KEY).maxAge(Duration.ofSeconds(30)).build();
        byte[] signed = signer(trust).sign(MESSAGE);
        now.addAndGet(29_000);
        assertThat(signer(trust).admit(signed)).isNotNull();
        now.addAndGet(2_000);
        assertThat(signer(trust).admit(signed)).isNull();
        now.addAndGet(-62_000);
        assertThat(signer(trust).admit(signed)).isNull();
    }

    @Test
    void unsignedMessagesAreDroppedWithAKeyUnlessAcceptedDuringAMigrationAndThenUntrusted() {
        assertThat(signer(ClusterTrust.builder().key(KEY).build()).admit(MESSAGE)).isNull();
        ClusterSigner.Admitted migrating = signer(ClusterTrust.builder().key(KEY).acceptUnsigned(true).build()).admit(MESSAGE);
        assertThat(migrating.message()).isEqualTo(MESSAGE);
        assertThat(migrating.trusted()).isFalse();
    }

    @Test
    void withoutAKeyNothingIsSignedAndEverythingIsTrustedAsBefore() {
        ClusterSigner none = signer(ClusterTrust.none());
        assertThat(none.sign(MESSAGE)).isSameAs(MESSAGE);
        assertThat(none.admit(MESSAGE).trusted()).isTrue();
        // A keyed node's message, read by a node without a key while the cluster moves to signing.
        ClusterSigner.Admitted a = none.admit(signer(ClusterTrust.builder().key(KEY).build()).sign(MESSAGE));
        assertThat(a.message()).isEqualTo(MESSAGE);
        assertThat(none.untrusted()).isZero();
    }

    @Test
    void malformedHeadersAreDropped() {
        ClusterSigner receiver = signer(ClusterTrust.builder().key(KEY).build());
        for (String m : new String[] {"#sbsig1 ", "#sbsig1 abc", "#sbsig1 abc 123 short {}", "#sbsig1  123 x {}",
                "#sbsig1 " + "k".repeat(200) + " 1 " + "m".repeat(43) + " {}"}) {
            assertThat(receiver.admit(m.getBytes(StandardCharsets.UTF_8))).as(m).isNull();
        }
    }

    @Test
    void secretsMustBeLongAndNeverShowInToString() {
        assertThatThrownBy(() -> ClusterTrust.builder().key("short").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("32");
        assertThatThrownBy(() -> ClusterTrust.builder().previousKeys(KEY).build())
                .isInstanceOf(IllegalArgumentException.class);
        ClusterTrust trust = ClusterTrust.builder().key(KEY).previousKeys(NEW_KEY).build();
        assertThat(trust.toString()).doesNotContain(KEY).doesNotContain(NEW_KEY).contains(trust.keyId());
        assertThat(trust.acceptedKeyIds()).hasSize(2).first().isEqualTo(trust.keyId());
    }

    @Test
    void eventFramesAreOneJsonObjectOfTypeEvent() {
        assertThat(EventFrames.valid(bytes("{\"type\":\"event\",\"event\":\"a\",\"data\":{\"x\":[1,2]}}"))).isTrue();
        assertThat(EventFrames.valid(bytes("{\"type\":\"event\",\"offset\":3,\"event\":\"a\",\"topic\":\"t\",\"data\":null}")))
                .isTrue();
        for (String bad : new String[] {"hello", "<script>x</script>", "", "[]", "\"event\"",
                "{\"type\":\"request\",\"id\":1,\"event\":\"a\"}", "{\"type\":\"event\",\"data\":1}",
                "{\"type\":\"event\",\"event\":\"a\"}{\"type\":\"request\"}", "{\"type\":\"event\",\"event\":\"a\"} x",
                "{\"type\":\"event\",\"type\":\"request\",\"event\":\"a\"}", "{\"type\":\"event\",\"event\":\"a\",\"data\":{",
                "{\"type\":\"event\",\"event\":7}"}) {
            assertThat(EventFrames.valid(bytes(bad))).as(bad).isFalse();
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
