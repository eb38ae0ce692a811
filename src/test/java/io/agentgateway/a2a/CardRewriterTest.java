package io.agentgateway.a2a;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentgateway.server.GatewayError;
import io.agentgateway.testing.A2aWire;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Cards are pointed at the gateway; nothing else changes; cards that name no endpoint are refused. */
class CardRewriterTest {
    static final String GATEWAY = "https://gw.example.com/dev-team/code-assistant";

    @Test
    void a03CardGetsItsEndpointsRewrittenAndOtherBindingsDropped() {
        ObjectNode card = A2aWire.card("http://code-assistant.dev-team:8080/");
        ObjectNode before = card.deepCopy();
        ObjectNode out = CardRewriter.rewrite(card, GATEWAY, "dev-team/code-assistant");
        assertThat(card).as("the cached card is not modified").isEqualTo(before);
        assertThat(out.get("url").asText()).isEqualTo(GATEWAY);
        assertThat(out.get("additionalInterfaces")).hasSize(1);
        assertThat(out.at("/additionalInterfaces/0/url").asText()).isEqualTo(GATEWAY);
        assertThat(out.at("/provider/url").asText()).isEqualTo("https://example.com/platform");
        assertThat(out.get("documentationUrl").asText()).isEqualTo("https://example.com/docs/code-assistant");
    }

    @Test
    void aPreferredTransportTheGatewayDoesNotServeBecomesJsonRpc() {
        ObjectNode card = A2aWire.card("http://a:1/");
        card.put("preferredTransport", "GRPC");
        assertThat(CardRewriter.rewrite(card, GATEWAY, "a").get("preferredTransport").asText()).isEqualTo("JSONRPC");
    }

    @Test
    void a10CardKeepsItsShapeAndBothBindingsTheGatewayServes() {
        ObjectNode card = A2aWire.cardV1("http://a:1/");
        card.withArray("supportedInterfaces").addObject().put("url", "grpc://a:2").put("protocolBinding", "GRPC")
                .put("protocolVersion", "1.0");
        ObjectNode out = CardRewriter.rewrite(card, GATEWAY, "a");
        assertThat(out.has("url")).isFalse();
        assertThat(out.get("supportedInterfaces")).hasSize(2);
        assertThat(out.at("/supportedInterfaces/0/url").asText()).isEqualTo(GATEWAY);
        assertThat(out.at("/supportedInterfaces/0/protocolBinding").asText()).isEqualTo("JSONRPC");
        assertThat(out.at("/supportedInterfaces/1/url").asText()).isEqualTo(GATEWAY);
        assertThat(out.at("/supportedInterfaces/1/protocolBinding").asText()).isEqualTo("HTTP+JSON");
    }

    @Test
    void aPreferredRestTransportStays() {
        ObjectNode card = A2aWire.card("http://a:1/rest");
        card.put("preferredTransport", "HTTP+JSON");
        assertThat(CardRewriter.rewrite(card, GATEWAY, "a").get("preferredTransport").asText()).isEqualTo("HTTP+JSON");
    }

    @Test
    void theAgentsRestInterfacesAreFoundInBothCardShapes() {
        assertThat(CardRewriter.restInterfaces(A2aWire.cardV1("http://a:1/")))
                .containsExactly(new CardRewriter.RestInterface("http://a:1/v1", "1.0"));
        ObjectNode v03 = A2aWire.card("http://a:1/rpc");
        v03.withArray("additionalInterfaces").addObject().put("url", "http://a:1/rest").put("transport", "HTTP+JSON");
        assertThat(CardRewriter.restInterfaces(v03)).containsExactly(new CardRewriter.RestInterface("http://a:1/rest", "0.3.0"));
        v03.put("preferredTransport", "REST");
        assertThat(CardRewriter.restInterfaces(v03)).first().isEqualTo(new CardRewriter.RestInterface("http://a:1/rpc", "0.3.0"));
        assertThat(CardRewriter.restInterfaces(A2aWire.card("http://a:1/"))).isEmpty();
    }

    @Test
    void aCardWithNoEndpointOrBrokenFieldsIsRefused() {
        ObjectNode noUrl = A2aWire.card("http://a:1/");
        noUrl.remove("url");
        noUrl.remove("additionalInterfaces");
        assertThatThrownBy(() -> CardRewriter.rewrite(noUrl, GATEWAY, "dev-team/a"))
                .isInstanceOfSatisfying(GatewayError.class, e -> assertThat(e.status()).isEqualTo(502))
                .hasMessageContaining("dev-team/a").hasMessageContaining("has no url");
        ObjectNode onlyGrpc = A2aWire.cardV1("http://a:1/");
        onlyGrpc.withArray("supportedInterfaces").remove(0);
        ((ObjectNode) onlyGrpc.withArray("supportedInterfaces").get(0)).put("protocolBinding", "GRPC");
        assertThatThrownBy(() -> CardRewriter.rewrite(onlyGrpc, GATEWAY, "a")).hasMessageContaining("has no url");
        ObjectNode numberUrl = A2aWire.card("http://a:1/");
        numberUrl.put("url", 42);
        assertThatThrownBy(() -> CardRewriter.rewrite(numberUrl, GATEWAY, "a")).hasMessageContaining("url is a number");
        ObjectNode badList = A2aWire.card("http://a:1/");
        badList.put("additionalInterfaces", "http://a:1/");
        assertThatThrownBy(() -> CardRewriter.rewrite(badList, GATEWAY, "a")).hasMessageContaining("additionalInterfaces is a string");
    }
}
