import { readFileOrContent } from '../../tls/load.js';

/** `tls` of a provider's client connection (`providers.etcd.tls`, …): files or inline PEM. */
export interface ClientTls {
  ca?: string;
  cert?: string;
  key?: string;
  insecureSkipVerify?: boolean;
}

/** The PEM contents of a client TLS section, read once when the provider is built. */
export interface LoadedClientTls {
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
  insecureSkipVerify: boolean;
}

export function readClientTls(tls: ClientTls): LoadedClientTls {
  const read = (v: string | undefined, what: string) =>
    v ? Buffer.from(readFileOrContent(v, what)) : undefined;
  return {
    ca: read(tls.ca, 'the CA'),
    cert: read(tls.cert, 'the certificate'),
    key: read(tls.key, 'the key'),
    insecureSkipVerify: tls.insecureSkipVerify === true,
  };
}
