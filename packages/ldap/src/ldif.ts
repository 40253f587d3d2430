/**
 * Whether a value can be written as is in LDIF (RFC 2849 SAFE-STRING: printable ASCII, not
 * starting with a space, colon or `<`, not ending with a space); anything else is base64 (`::`).
 */
function safe(value: string): boolean {
  if (value === '') return true;
  if (value.startsWith(' ') || value.startsWith(':') || value.startsWith('<')) return false;
  if (value.endsWith(' ')) return false;
  for (let i = 0; i < value.length; i += 1) {
    const c = value.charCodeAt(i);
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

function line(name: string, value: string): string {
  if (safe(value)) return `${name}: ${value}`;
  return `${name}:: ${Buffer.from(value, 'utf8').toString('base64')}`;
}

/** One entry as an LDIF record (RFC 2849), ending with a blank line; for slapadd / ldapadd. */
export function ldifEntry(
  dn: string,
  attributes: Readonly<Record<string, readonly string[]>>,
): string {
  const lines = [line('dn', dn)];
  for (const [name, values] of Object.entries(attributes)) {
    for (const v of values) lines.push(line(name, v));
  }
  return `${lines.join('\n')}\n\n`;
}
