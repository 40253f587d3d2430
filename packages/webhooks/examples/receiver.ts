/**
 * A tiny pedagogical-server agent, runnable as is (`pnpm -s exec tsx
 * packages/webhooks/examples/receiver.ts`): it receives aaf-sync webhooks, verifies them
 * (Standard Webhooks), drops duplicates and stale events, and on `snapshot.published` pulls the
 * complete account lists of the establishment (ETag: a list that did not change costs a 304),
 * checks the manifest hash, "applies" them (here: it only counts) and reports back what it holds
 * (`POST /v1/snapshots/{uai}/reports`), which the account status then shows.
 *
 * Environment: WEBHOOK_SECRET (whsec_…, required; during a rotation, the new one and the old one
 * separated by a space), API_URL (http://127.0.0.1:3000), API_KEY (accounts:read on the
 * establishment), RECEIVER_PORT (3100), RECEIVER_HOST (127.0.0.1), NAMESPACE (scribe),
 * REPORTER (demo-agent), PROFILES (pupil,teacher).
 */
import { createHash } from 'node:crypto';
import http from 'node:http';
import { verify } from '@aaf-sync/webhooks';

const env = (name: string, fallback?: string): string => {
  const v = process.env[name] ?? fallback;
  if (v === undefined) throw new Error(`${name} is required`);
  return v;
};
const secrets = env('WEBHOOK_SECRET').split(' ').filter(Boolean);
const apiUrl = env('API_URL', 'http://127.0.0.1:3000');
const apiKey = process.env.API_KEY;
const port = Number(env('RECEIVER_PORT', '3100'));
const host = env('RECEIVER_HOST', '127.0.0.1');
const namespace = env('NAMESPACE', 'scribe');
const reporter = env('REPORTER', 'demo-agent');
const profiles = env('PROFILES', 'pupil,teacher').split(',');

interface Payload {
  type: string;
  data: { seq: number; entity: string; id: string; establishments: string[]; changed: string[] };
}
interface SnapshotItem {
  id: string;
  login: string | null;
}

const seen = new Set<string>(); // webhook-ids already handled (at-least-once delivery)
const lastSeq = new Map<string, number>(); // per entity: events are ordered, but replays resend
const etags = new Map<string, string>();
const pulling = new Map<string, Promise<void>>();
const again = new Set<string>();
const say = (msg: string) => console.log(`[receiver] ${new Date().toISOString()} ${msg}`);

async function api(path: string, init: RequestInit = {}): Promise<Response> {
  return fetch(`${apiUrl}${path}`, {
    ...init,
    headers: { ...(init.headers as Record<string, string>), authorization: `Bearer ${apiKey}` },
  });
}

/** Pulls, checks and "applies" one establishment's lists, then reports back. */
async function pull(uai: string): Promise<void> {
  for (const profile of profiles) {
    const key = `${uai}/${profile}`;
    const res = await api(`/v1/snapshots/${key}?namespace=${namespace}`, {
      headers: etags.has(key) ? { 'if-none-match': etags.get(key) as string } : {},
    });
    if (res.status === 304) {
      say(`snapshot ${key}: not modified`);
      continue;
    }
    if (!res.ok) {
      say(`snapshot ${key}: HTTP ${res.status} ${(await res.text()).slice(0, 200)}`);
      continue;
    }
    const snap = (await res.json()) as {
      manifest: { rows: number; sha256: string; seq: number };
      items: SnapshotItem[];
    };
    const hash = createHash('sha256')
      .update(snap.items.map((i) => JSON.stringify(i)).join('\n'))
      .digest('hex');
    if (hash !== snap.manifest.sha256 || snap.items.length !== snap.manifest.rows) {
      say(`snapshot ${key}: manifest mismatch, ignored`);
      continue;
    }
    etags.set(key, res.headers.get('etag') ?? '');
    say(`snapshot ${key}: ${snap.manifest.rows} accounts at seq ${snap.manifest.seq} (hash ok)`);
    // A real agent creates, updates and disables accounts here (absence = departure).
    const items = snap.items.map((i) => ({
      id: i.id,
      status: i.login ? ('present' as const) : ('error' as const),
      ...(i.login ? { login: i.login, homePath: `/home/${uai}/${i.login}` } : {}),
      ...(i.login ? {} : { detail: `no ${namespace} login yet` }),
    }));
    for (let i = 0; i < items.length; i += 5_000) {
      const r = await api(`/v1/snapshots/${uai}/reports`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ reporter, items: items.slice(i, i + 5_000) }),
      });
      if (!r.ok) say(`report ${key}: HTTP ${r.status}`);
    }
    say(`reported ${items.length} accounts of ${key}`);
  }
}

/** At most one pull per establishment at a time; a cue during a pull asks for one more. */
function schedulePull(uai: string): void {
  if (!apiKey) return;
  if (pulling.has(uai)) {
    again.add(uai);
    return;
  }
  const run = pull(uai)
    .catch((err: unknown) => say(`pull ${uai} failed: ${(err as Error).message}`))
    .finally(() => {
      pulling.delete(uai);
      if (again.delete(uai)) schedulePull(uai);
    });
  pulling.set(uai, run);
}

const server = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const body = Buffer.concat(chunks);
    let id: string;
    try {
      id = verify(secrets, req.headers, body).id;
    } catch (err) {
      say(`refused: ${(err as Error).message}`);
      res.writeHead(401).end();
      return;
    }
    // Answer at once (the sender's timeout is short); work afterwards.
    res.writeHead(204).end();
    if (seen.has(id)) return;
    seen.add(id);
    const p = JSON.parse(body.toString('utf8')) as Payload;
    const entity = `${p.data.entity}:${p.data.id}`;
    if ((lastSeq.get(entity) ?? 0) > p.data.seq) return; // stale
    lastSeq.set(entity, p.data.seq);
    say(`${id} ${p.type} ${p.data.id} seq ${p.data.seq} [${p.data.changed.join(',')}] verified`);
    if (p.type === 'snapshot.published') schedulePull(p.data.id);
  });
});
server.listen(port, host, () => {
  const { port: bound } = server.address() as { port: number };
  say(`listening on http://${host}:${bound}/webhooks`);
});
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => server.close());
