import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { loadConfig } from '@aaf-sync/config';
import { Client } from 'ldapts';
import type { TeardownHost } from './teardown.js';

export interface OwnSlapd {
  /** `ldap://127.0.0.1:<port>` (StartTLS too when `tls`). */
  readonly url: string;
  /** `ldaps://127.0.0.1:<port>` when `tls`, else null. */
  readonly ldapsUrl: string | null;
  /** The PEM of the CA that signed the server certificate (`tls`), else null. */
  readonly caPem: string | null;
  readonly bindDn: string;
  readonly bindPassword: string;
  /** Stops the server (its data stay) and waits until it is gone. */
  stop(): Promise<void>;
  /** Starts it again on the same ports; resolves once it answers a bind. */
  start(): Promise<void>;
}

const ROOT = resolve(import.meta.dirname, '../../..');
const BIND_DN = 'cn=admin,o=gouv,c=fr';

async function freePort(): Promise<number> {
  return new Promise((done, reject) => {
    const srv = createServer()
      .once('error', reject)
      .listen(0, '127.0.0.1', () => {
        const port = (srv.address() as { port: number }).port;
        srv.close(() => done(port));
      });
  });
}

/**
 * A slapd of the calling test's own, on free ports, built with the config writer of
 * `scripts/services` (`ldap_write_config`: same schema, same suffix `o=gouv,c=fr`) — for tests
 * that stop the server or need TLS without touching the shared one. `tls`: a CA and a server
 * certificate for 127.0.0.1 made for this server (`ldap_apply_tls`), LDAPS on a second port and
 * StartTLS on the plain one. Removed at teardown.
 */
export async function ownSlapd(t: TeardownHost, o: { tls?: boolean } = {}): Promise<OwnSlapd> {
  const dir = mkdtempSync(join(tmpdir(), 'aaf-slapd-'));
  const { bindPassword } = loadConfig().ldap;
  const port = await freePort();
  const tlsPort = o.tls ? await freePort() : null;
  const url = `ldap://127.0.0.1:${port}`;
  const ldapsUrl = tlsPort === null ? null : `ldaps://127.0.0.1:${tlsPort}`;
  execFileSync(
    'bash',
    [
      '-c',
      `set -e; source scripts/lib/toolchain.sh; source scripts/lib/services-lib.sh; ` +
        `PATH="$PATH:/usr/sbin"; mkdir -p "$1/slapd.d" "$1/data"; ldap_write_config "$1"; ` +
        `slapadd -n0 -F "$1/slapd.d" -l "$1/config.ldif" >/dev/null; ` +
        `slapadd -n1 -F "$1/slapd.d" -l "$1/base.ldif" >/dev/null; ` +
        `if [ "$2" = tls ]; then ldap_apply_tls "$1" "$1/tls"; fi`,
      'own-slapd',
      dir,
      o.tls ? 'tls' : 'plain',
    ],
    {
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, LDAP_BIND_DN: BIND_DN, LDAP_BIND_PASSWORD: bindPassword },
    },
  );
  const caPem = o.tls ? readFileSync(join(dir, 'tls', 'ca.pem'), 'utf8') : null;
  const slapd = ['/usr/sbin/slapd', 'slapd'].find((p) => {
    try {
      execFileSync('sh', ['-c', `command -v ${p}`], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  })!;
  let child: ChildProcess | undefined;
  const reachable = async () => {
    const client = new Client({ url, connectTimeout: 500, timeout: 1000 });
    try {
      await client.bind(BIND_DN, bindPassword);
      return true;
    } catch {
      return false;
    } finally {
      await client.unbind().catch(() => undefined);
    }
  };
  const start = async () => {
    const listeners = [`${url}/`, ...(ldapsUrl ? [`${ldapsUrl}/`] : [])].join(' ');
    // -d 0: stays in the foreground (a child this test can stop).
    child = spawn(slapd, ['-d', '0', '-F', join(dir, 'slapd.d'), '-h', listeners], {
      stdio: 'ignore',
    });
    for (let i = 0; i < 100 && !(await reachable()); i += 1) await sleep(100);
  };
  const stop = async () => {
    const c = child;
    if (!c || c.exitCode !== null) return;
    await new Promise<void>((r) => {
      c.once('exit', () => r());
      c.kill('SIGTERM');
    });
  };
  t.teardown(async () => {
    await stop();
    rmSync(dir, { recursive: true, force: true });
  });
  await start();
  return { url, ldapsUrl, caPem, bindDn: BIND_DN, bindPassword, start, stop };
}
