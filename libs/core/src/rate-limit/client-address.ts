import { isIPv6 } from 'node:net';

/**
 * The part of a client address that per-address limits count by. IPv4 addresses count singly; an
 * IPv6 client usually holds a whole /64 (and can pick any address in it), so IPv6 addresses count
 * by their /64 prefix. IPv4-mapped IPv6 addresses count as the IPv4 address.
 */
export function clientAddressKey(ip: string | null | undefined): string {
  if (!ip) return 'unknown';
  const address = ip.split('%')[0];
  if (!isIPv6(address)) return address;
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  if (mapped) return mapped[1];
  const [head, tail = ''] = address.split('::');
  const groups = (part: string) => (part === '' ? [] : part.split(':').flatMap((g) => (g.includes('.') ? ['0', '0'] : [g])));
  const left = groups(head);
  const right = address.includes('::') ? groups(tail) : [];
  const full = [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right];
  return `${full
    .slice(0, 4)
    .map((g) => parseInt(g, 16).toString(16))
    .join(':')}::/64`;
}
