/** A value with anything to escape in a DN (most have none: returned as they are). */
const DN_SPECIAL = /[\\,+"<>;=\0]|^[# ]| $/;

/** Escapes an attribute value for use in a DN (RFC 4514 §2.4). */
export function escapeDnValue(value: string): string {
  if (!DN_SPECIAL.test(value)) return value;
  let out = value.replace(/[\\,+"<>;=]/g, (c) => `\\${c}`).replace(/\0/g, '\\00');
  if (out.startsWith('#') || out.startsWith(' ')) out = `\\${out}`;
  if (out.endsWith(' ') && out.length > 1 && !out.endsWith('\\ ')) out = `${out.slice(0, -1)}\\ `;
  return out;
}

/** Escapes a value for use in a search filter (RFC 4515 §3). */
export function escapeFilterValue(value: string): string {
  return value.replace(/[\\*()\0]/g, (c) => `\\${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** DNs compared the way the driver writes them: RDN parts trimmed, case-insensitive. */
export function sameDn(a: string, b: string): boolean {
  const norm = (dn: string) =>
    dn
      .split(/(?<!\\),/)
      .map((p) => p.trim().toLowerCase())
      .join(',');
  return norm(a) === norm(b);
}
