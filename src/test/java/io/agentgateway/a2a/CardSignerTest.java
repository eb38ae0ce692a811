package io.agentgateway.a2a;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import io.agentgateway.secret.SecretRef;
import io.agentgateway.secret.SecretStore;
import io.agentgateway.testing.A2aWire;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Re-signed cards verify with the published key over the RFC 8785 form of the card as served. */
class CardSignerTest {
    static final String JWKS = "https://gw.example.com/.well-known/jwks.json";

    @Test
    void theCanonicalFormSortsKeysAndLeavesOutSignaturesAndEmptyValues() {
        ObjectNode card = A2aWire.JSON.createObjectNode();
        card.put("name", "Example Agent");
        card.putObject("capabilities").put("streaming", false).put("pushNotifications", true).putArray("extensions");
        card.putArray("skills");
        card.put("description", "");
        card.putNull("iconUrl");
        card.putArray("signatures").addObject().put("protected", "x").put("signature", "y");
        assertThat(new String(CardSigner.canonical(card), StandardCharsets.UTF_8))
                .isEqualTo("{\"capabilities\":{\"pushNotifications\":true,\"streaming\":false},\"name\":\"Example Agent\"}");
    }

    @Test
    void aSignedCardVerifiesWithThePublishedKey() throws Exception {
        CardKeys keys = CardKeys.generated();
        ObjectNode card = A2aWire.cardV1("https://gw.example.com/dev-team/a");
        ObjectNode signed = new CardSigner(keys).sign(card.deepCopy(), JWKS);

        assertThat(signed.get("signatures")).hasSize(1);
        JWSObject jws = detached(signed);
        assertThat(jws.getHeader().getKeyID()).isEqualTo(keys.signingKey().getKeyID());
        assertThat(jws.getHeader().getJWKURL().toString()).isEqualTo(JWKS);
        assertThat(jws.getHeader().getType().getType()).isEqualTo("JOSE");
        ECKey published = (ECKey) keys.published().getKeyByKeyId(jws.getHeader().getKeyID());
        assertThat(published.isPrivate()).isFalse();
        assertThat(jws.verify(new ECDSAVerifier(published))).isTrue();

        signed.put("description", "changed after signing");
        assertThat(detached(signed).verify(new ECDSAVerifier(published))).isFalse();
    }

    @Test
    void aKeyFromASecretSignsAndARotationKeepsThePreviousKeyPublished() throws Exception {
        RSAKey first = new RSAKeyGenerator(2048).keyID("first").generate();
        ECKey second = new ECKeyGenerator(Curve.P_256).generate();
        Map<String, String> env = new HashMap<>(Map.of("CARD_KEY", first.toJSONString()));
        SecretStore store = new SecretStore(null, env::get);
        SecretRef ref = store.ref("card-key", "key");
        CardKeys keys = CardKeys.fromSecret(ref, CardKeys.generated());
        assertThat(keys.signingKey().getKeyID()).isEqualTo("first");
        JWSObject rsaSigned = detached(new CardSigner(keys).sign(A2aWire.cardV1("https://gw/a"), JWKS));
        assertThat(rsaSigned.getHeader().getAlgorithm().getName()).isEqualTo("RS256");
        assertThat(rsaSigned.verify(new RSASSAVerifier((RSAKey) keys.published().getKeyByKeyId("first")))).isTrue();

        env.put("CARD_KEY", second.toJSONString());
        store.directory(null);
        JWK now = keys.signingKey();
        assertThat(now.getKeyID()).as("a kid from the RFC 7638 thumbprint").isEqualTo(second.computeThumbprint().toString());
        assertThat(keys.published().getKeys()).extracting(JWK::getKeyID).containsExactly(now.getKeyID(), "first");
        assertThat(keys.published().getKeys()).noneMatch(JWK::isPrivate);

        env.put("CARD_KEY", "not a key");
        store.directory(null);
        assertThat(keys.signingKey().getKeyID()).as("a bad rotation keeps the last good key").isEqualTo(now.getKeyID());
    }

    @Test
    void aSecretThatIsNoPrivateKeyIsRefusedWithoutShowingIt() throws Exception {
        ECKey key = new ECKeyGenerator(Curve.P_256).generate();
        for (Map.Entry<String, String> bad : Map.of(
                "{\"kty\":\"oct\",\"k\":\"c2VjcmV0LXNlY3JldC1zZWNyZXQ\"}", "oct JWK",
                key.toPublicJWK().toJSONString(), "public JWK",
                "s3cr3t-value", "is not a JWK").entrySet()) {
            SecretRef ref = new SecretStore(null, Map.of("CARD_KEY", bad.getKey())::get).ref("card-key", "key");
            CardKeys fallback = CardKeys.generated();
            assertThat(CardKeys.fromSecret(ref, fallback).signingKey()).as("the process key signs meanwhile")
                    .isSameAs(fallback.signingKey());
            assertThatThrownBy(() -> SecretCardKeys.parse(ref.current(), ref))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(bad.getValue())
                    .hasMessageNotContaining("s3cr3t");
        }
    }

    /** The card's first signature with its detached payload put back: what a verifier reconstructs. */
    static JWSObject detached(ObjectNode card) throws Exception {
        ObjectNode sig = (ObjectNode) card.get("signatures").get(0);
        return new JWSObject(new Base64URL(sig.get("protected").asText()),
                new Payload(Base64URL.encode(CardSigner.canonical(card))), new Base64URL(sig.get("signature").asText()));
    }
}
