import { SwitchyardError } from '../core/errors.js';

export interface ListenAddress {
  host: string | undefined;
  port: number;
  protocol: 'tcp' | 'udp';
}

/** Parses Traefik's `[host]:port[/tcp|/udp]`. An empty host listens on every interface. */
export function parseAddress(address: string): ListenAddress {
  let text = address.trim();
  let protocol: 'tcp' | 'udp' = 'tcp';
  const slash = text.lastIndexOf('/');
  if (slash !== -1) {
    const proto = text.slice(slash + 1).toLowerCase();
    if (proto !== 'tcp' && proto !== 'udp') {
      throw new SwitchyardError('CONFIG_INVALID', `address "${address}": protocol must be tcp or udp`);
    }
    protocol = proto;
    text = text.slice(0, slash);
  }
  const colon = text.lastIndexOf(':');
  if (colon === -1) throw new SwitchyardError('CONFIG_INVALID', `address "${address}" has no port (":80")`);
  let host = text.slice(0, colon);
  const portText = text.slice(colon + 1);
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65535) {
    throw new SwitchyardError('CONFIG_INVALID', `address "${address}": invalid port "${portText}"`);
  }
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
  return { host: host === '' ? undefined : host, port, protocol };
}
