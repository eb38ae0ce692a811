// The official A2A JavaScript SDK (@a2a-js/sdk) as a client that prefers the HTTP+JSON (REST)
// binding, through the gateway: it resolves the agent's card at AGENT_URL, then sends a message,
// streams one, gets the task back, and verifies the signatures of the card and of the extended
// card against the JWKS the signatures' jku names. Prints one JSON line of what it saw; exits non-zero on any failure.
// Env: AGENT_URL (the gateway's URL for the agent, e.g. http://127.0.0.1:1234/dev-team/echo),
//      API_KEY (sent as Authorization: Bearer).
import * as jose from 'jose';
import { AgentCard, verifyAgentCardSignature } from '@a2a-js/sdk';
import { AgentCardResolver, ClientFactory, ClientFactoryOptions, DefaultAgentCardResolver, JsonRpcTransportFactory,
  RestTransportFactory } from '@a2a-js/sdk/client';

const agentUrl = process.env.AGENT_URL;
const seen = { requests: [] };
const authenticated = (url, init = {}) => {
  const u = new URL(url.toString());
  seen.requests.push(`${init.method ?? 'GET'} ${u.pathname}`);
  return fetch(url, { ...init, headers: { ...init.headers, Authorization: `Bearer ${process.env.API_KEY}` } });
};

const factory = new ClientFactory(ClientFactoryOptions.createFrom(ClientFactoryOptions.default, {
  transports: [new JsonRpcTransportFactory({ fetchImpl: authenticated }), new RestTransportFactory({ fetchImpl: authenticated })],
  preferredTransports: ['HTTP+JSON'],
  cardResolver: new DefaultAgentCardResolver({ fetchImpl: authenticated }),
}));
try {
// A trailing slash: the SDK resolves the card path relative to the URL.
const client = await factory.createFromUrl(`${agentUrl}/`);
// The card declares an extended card: the client fetches it (over REST) and verifies its signature.
const verify = verifyAgentCardSignature(async (kid, jku) => {
  const jwks = jose.createLocalJWKSet(await (await fetch(jku)).json());
  return jwks({ alg: 'ES256', kid });
});
const card = await client.getAgentCard(undefined, verify);
seen.extendedCardVerified = true;
seen.skills = card.skills.map((s) => s.id);
seen.interfaces = card.supportedInterfaces.map((i) => `${i.protocolBinding} ${i.url}`);
seen.transport = client.transport?.protocolName ?? null;

const message = (id, text) => ({ message: { messageId: id, role: 'ROLE_USER', parts: [{ content: { $case: 'text', value: text } }] } });
const text = (task) => task.artifacts.flatMap((a) => a.parts).map((p) => p.content?.value).join('');

const sent = await client.sendMessage(message('m-send', 'hello over REST'));
const task = sent.payload?.value ?? sent;
seen.send = { state: task.status?.state, text: text(task) };

seen.stream = [];
let streamedTaskId;
for await (const event of client.sendMessageStream(message('m-stream', 'streamed over REST'))) {
  const e = event.payload ?? event;
  seen.stream.push(e.$case);
  streamedTaskId ??= e.value?.id ?? e.value?.taskId;
}

const got = await client.getTask({ id: streamedTaskId });
seen.get = { id: got.id === streamedTaskId, state: got.status?.state, text: text(got) };

// The card as served is signed by the gateway: verify it with the key its jku publishes.
const raw = await (await authenticated(new URL('.well-known/agent-card.json', `${agentUrl}/`),
  { headers: { 'A2A-Version': '1.0' } })).json();
const header = jose.decodeProtectedHeader(raw.signatures[0]);
seen.jku = header.jku;
await verifyAgentCardSignature(async (kid, jku) => {
  const jwks = jose.createLocalJWKSet(await (await fetch(jku)).json());
  return jwks({ alg: header.alg, kid });
})(AgentCard.fromJSON(raw));
seen.signatureVerified = true;
} catch (e) {
  seen.error = String(e?.stack ?? e);
  process.exitCode = 1;
}
console.log(JSON.stringify(seen));
