// An A2A 1.0 agent built with the official SDK (@a2a-js/sdk), serving JSON-RPC at /a2a/jsonrpc,
// HTTP+JSON at /a2a/rest and its card, signed with its own key, at
// /a2a/jsonrpc/.well-known/agent-card.json (and an extended card with one more skill). Prints "listening PORT" once it accepts connections.
// Every message is answered with a task that goes submitted -> working -> artifact "echo: TEXT"
// -> completed, published with short pauses so a stream has events to relay.
import express from 'express';
import * as jose from 'jose';
import { AgentCard, Task, TaskStatusUpdateEvent, TaskArtifactUpdateEvent, generateAgentCardSignature } from '@a2a-js/sdk';
import { AgentEvent, DefaultRequestHandler, InMemoryTaskStore } from '@a2a-js/sdk/server';
import { agentCardHandler, jsonRpcHandler, restHandler, UserBuilder } from '@a2a-js/sdk/server/express';

const pause = (ms) => new Promise((r) => setTimeout(r, ms));

class EchoExecutor {
  async execute(ctx, bus) {
    const text = ctx.userMessage.parts.map((p) => (p.content?.$case === 'text' ? p.content.value : '')).join('');
    const ids = { taskId: ctx.taskId, contextId: ctx.contextId };
    bus.publish(AgentEvent.task(Task.fromJSON({
      id: ctx.taskId, contextId: ctx.contextId, status: { state: 'TASK_STATE_SUBMITTED' },
    })));
    await pause(20);
    bus.publish(AgentEvent.statusUpdate(TaskStatusUpdateEvent.fromJSON({ ...ids, status: { state: 'TASK_STATE_WORKING' } })));
    await pause(20);
    bus.publish(AgentEvent.artifactUpdate(TaskArtifactUpdateEvent.fromJSON({
      ...ids, artifact: { artifactId: 'echo', parts: [{ text: `echo: ${text}` }] }, lastChunk: true,
    })));
    await pause(20);
    bus.publish(AgentEvent.statusUpdate(TaskStatusUpdateEvent.fromJSON({ ...ids, status: { state: 'TASK_STATE_COMPLETED' } })));
    bus.finished();
  }

  async cancelTask() {}
}

const app = express();
const server = app.listen(0, '127.0.0.1', async () => {
  const base = `http://127.0.0.1:${server.address().port}/a2a`;
  const card = AgentCard.fromJSON({
    name: 'SDK Echo',
    description: 'Echoes what it is sent, as a task',
    version: '1.0.0',
    supportedInterfaces: [
      { url: `${base}/jsonrpc`, protocolBinding: 'JSONRPC', protocolVersion: '1.0' },
      { url: `${base}/rest`, protocolBinding: 'HTTP+JSON', protocolVersion: '1.0' },
      { url: `${base}/grpc`, protocolBinding: 'GRPC', protocolVersion: '1.0' },
    ],
    capabilities: { streaming: true, pushNotifications: false, extendedAgentCard: true },
    defaultInputModes: ['text/plain'],
    defaultOutputModes: ['text/plain'],
    skills: [{ id: 'echo', name: 'Echo', description: 'Echoes text', tags: ['echo'] }],
  });
  const { privateKey } = await jose.generateKeyPair('ES256');
  const sign = generateAgentCardSignature(privateKey, { alg: 'ES256', typ: 'JOSE', kid: 'agent-key' });
  // The extended card (for authenticated callers) names one more skill.
  const extended = AgentCard.fromJSON({ ...AgentCard.toJSON(card),
    skills: [...AgentCard.toJSON(card).skills, { id: 'review', name: 'Review', description: 'Reviews text', tags: ['review'] }] });
  const handler = new DefaultRequestHandler(card, new InMemoryTaskStore(), new EchoExecutor(),
    undefined, undefined, undefined, async () => extended, sign);
  const userBuilder = UserBuilder.noAuthentication;
  app.use('/a2a/jsonrpc/.well-known/agent-card.json', agentCardHandler({ agentCardProvider: handler }));
  app.use('/a2a/jsonrpc', jsonRpcHandler({ requestHandler: handler, userBuilder }));
  app.use('/a2a/rest', restHandler({ requestHandler: handler, userBuilder }));
  console.log(`listening ${server.address().port}`);
});
