// Which addresses a request made by the server may reach: a URL a user or a payload names must not reach the host
// itself, the cloud metadata service or the private network behind the server (SSRF; issue 12). Pure: no lookups.

import { BlockList, isIP } from 'node:net';

export type AddressClass = 'public' | 'loopback' | 'private' | 'link_local' | 'unspecified' | 'multicast' | 'reserved';

const RANGES: ReadonlyArray<readonly [AddressClass, string, number, 'ipv4' | 'ipv6']> = [
  ['unspecified', '0.0.0.0', 8, 'ipv4'],
  ['loopback', '127.0.0.0', 8, 'ipv4'],
  ['private', '10.0.0.0', 8, 'ipv4'],
  ['private', '172.16.0.0', 12, 'ipv4'],
  ['private', '192.168.0.0', 16, 'ipv4'],
  ['private', '100.64.0.0', 10, 'ipv4'], // carrier-grade NAT, also used by some clouds' internal services
  ['link_local', '169.254.0.0', 16, 'ipv4'], // includes the metadata service 169.254.169.254
  ['reserved', '192.0.0.0', 24, 'ipv4'],
  ['reserved', '198.18.0.0', 15, 'ipv4'],
  ['multicast', '224.0.0.0', 4, 'ipv4'],
  ['reserved', '240.0.0.0', 4, 'ipv4'], // and 255.255.255.255
  ['unspecified', '::', 128, 'ipv6'],
  ['loopback', '::1', 128, 'ipv6'],
  ['private', 'fc00::', 7, 'ipv6'],
  ['private', 'fec0::', 10, 'ipv6'], // deprecated site-local
  ['private', '64:ff9b:1::', 48, 'ipv6'], // local-use NAT64
  ['link_local', 'fe80::', 10, 'ipv6'],
  ['multicast', 'ff00::', 8, 'ipv6'],
];

const LISTS = new Map<AddressClass, BlockList>();
for (const [cls, net, prefix, family] of RANGES) {
  const list = LISTS.get(cls) ?? new BlockList();
  list.addSubnet(net, prefix, family);
  LISTS.set(cls, list);
}

/** The class of an IP address; IPv4-mapped and NAT64-embedded IPv6 addresses are judged by their IPv4 part. */
export function addressClass(ip: string): AddressClass {
  const family = isIP(ip);
  if (family === 0) throw new TypeError(`not an IP address: ${ip}`);
  const embedded = family === 6 ? embeddedIpv4(ip) : null;
  if (embedded !== null) return addressClass(embedded);
  for (const [cls, list] of LISTS) if (list.check(ip, family === 4 ? 'ipv4' : 'ipv6')) return cls;
  return 'public';
}

/** ::ffff:a.b.c.d, ::a.b.c.d, ::ffff:0:a.b.c.d (SIIT) and 64:ff9b::a.b.c.d, dotted or hex; 6to4 2002:AABB:CCDD::/48. */
function embeddedIpv4(ip: string): string | null {
  const lower = ip.toLowerCase();
  const sixToFour = /^2002:([0-9a-f]{1,4}):([0-9a-f]{1,4})(?::|$)/.exec(lower);
  if (sixToFour) return dotted(sixToFour[1], sixToFour[2]);
  const m = /^(?:::ffff:0:|::ffff:|::|64:ff9b::)(?:(\d+\.\d+\.\d+\.\d+)|([0-9a-f]{1,4}):([0-9a-f]{1,4}))$/.exec(lower);
  if (!m) return null;
  return m[1] ?? dotted(m[2], m[3]);
}

function dotted(hiHex = '0', loHex = '0'): string {
  const hi = Number.parseInt(hiHex, 16);
  const lo = Number.parseInt(loHex, 16);
  return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
}
