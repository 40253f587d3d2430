import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP, type LookupFunction } from 'node:net';

const reserved = new BlockList();
for (const [net, bits] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  reserved.addSubnet(net, bits, 'ipv4');
for (const [net, bits] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
  ['64:ff9b::', 96],
] as const)
  reserved.addSubnet(net, bits, 'ipv6');

/** True for loopback, private, link-local, CGNAT, multicast and other non-public addresses. */
export function isReservedAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped?.[1]) return reserved.check(mapped[1], 'ipv4');
  const family = isIP(address);
  if (family === 0) return true;
  return reserved.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/** A DNS lookup that refuses reserved addresses (checked after resolution, at connect time). */
export function guardedLookup(allowPrivate: boolean): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, '', 0);
      const list = addresses as unknown as LookupAddress[];
      const usable = allowPrivate ? list : list.filter((a) => !isReservedAddress(a.address));
      if (usable.length === 0) {
        const refused = Object.assign(new Error(`${hostname} resolves to a reserved address`), {
          code: 'EREFUSEDADDRESS',
        });
        return callback(refused, '', 0);
      }
      if ((options as { all?: boolean }).all) return callback(null, usable as never);
      const first = usable[0] as LookupAddress;
      callback(null, first.address, first.family);
    });
  };
}
