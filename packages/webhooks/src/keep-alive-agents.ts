import http from 'node:http';
import https from 'node:https';
import { guardedLookup } from './guarded-lookup.js';

/**
 * An idle pooled connection is closed after this many ms: below the usual 5 s keep-alive of
 * servers (Node's default), so that a request is rarely written on a socket the receiver is
 * closing.
 */
export const IDLE_SOCKET_MS = 4_000;

const agents = new Map<string, http.Agent>();

/**
 * The keep-alive agent of one receiver origin (scheme, host, port) and guard setting. Each new
 * connection resolves the host through the guarded lookup (reserved addresses refused after
 * resolution) and stays on the address it was checked for: reusing it never resolves again.
 */
export function agentFor(url: URL, allowPrivate: boolean): http.Agent {
  const key = `${url.protocol}//${url.host}|${allowPrivate ? 'private' : 'public'}`;
  let agent = agents.get(key);
  if (!agent) {
    const options: http.AgentOptions = {
      keepAlive: true,
      keepAliveMsecs: 1_000,
      maxFreeSockets: 256,
      timeout: IDLE_SOCKET_MS,
      scheduling: 'lifo',
    };
    // The lookup is passed down to net/tls.connect for every socket the agent creates.
    const withLookup = { ...options, lookup: guardedLookup(allowPrivate) };
    agent = url.protocol === 'https:' ? new https.Agent(withLookup) : new http.Agent(withLookup);
    agents.set(key, agent);
  }
  return agent;
}

/** Closes every pooled connection (the runtime's `close()`; a later request opens new ones). */
export function closeAgents(): void {
  for (const agent of agents.values()) agent.destroy();
  agents.clear();
}
