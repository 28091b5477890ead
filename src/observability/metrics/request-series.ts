import type { ExpositionWriter } from './exposition.js';

/** One label combination of a request family: everything the five request metrics need. */
interface Cell {
  readonly values: string[];
  requests: number;
  durationSum: number;
  readonly buckets: Float64Array;
  requestBytes: number;
  responseBytes: number;
}

/**
 * The request metrics of one level (`entrypoint`, `router`, `service`): requests_total,
 * request_duration_seconds, requests_bytes_total, responses_bytes_total and requests_tls_total. A cell per
 * label combination, found with one string key, so recording is a map lookup and a few additions.
 */
export class RequestSeries {
  private readonly cells = new Map<string, Cell>();
  /** requests_total with the configured header labels (only when `headerLabels` is set). */
  private readonly headerCells = new Map<string, { values: string[]; n: number }>();
  private readonly tls = new Map<string, { values: string[]; n: number }>();
  private readonly labelNames: string[];

  constructor(
    readonly prefix: string,
    /** Labels after `code, method, protocol`: `['entrypoint']`, `['router', 'service']`, `['service']`. */
    private readonly ownLabels: readonly string[],
    private readonly bounds: readonly number[],
    private readonly headerLabels: readonly string[],
  ) {
    this.labelNames = ['code', 'method', 'protocol', ...ownLabels];
  }

  record(
    code: number,
    method: string,
    protocol: string,
    own1: string,
    own2: string | undefined,
    seconds: number,
    reqBytes: number,
    respBytes: number,
    headerValues: string[] | undefined,
  ): void {
    const key =
      own2 === undefined
        ? `${code}\u0001${method}\u0001${protocol}\u0001${own1}`
        : `${code}\u0001${method}\u0001${protocol}\u0001${own1}\u0001${own2}`;
    let cell = this.cells.get(key);
    if (cell === undefined) {
      const values = [String(code), method, protocol, own1];
      if (own2 !== undefined) values.push(own2);
      cell = {
        values,
        requests: 0,
        durationSum: 0,
        buckets: new Float64Array(this.bounds.length),
        requestBytes: 0,
        responseBytes: 0,
      };
      this.cells.set(key, cell);
    }
    cell.requests++;
    cell.durationSum += seconds;
    const bounds = this.bounds;
    for (let i = 0; i < bounds.length; i++) {
      if (seconds <= bounds[i]!) {
        cell.buckets[i]!++;
        break;
      }
    }
    cell.requestBytes += reqBytes;
    cell.responseBytes += respBytes;
    if (headerValues !== undefined) {
      const hk = `${key}\u0002${headerValues.join('\u0001')}`;
      let h = this.headerCells.get(hk);
      if (h === undefined) {
        h = { values: [...cell.values, ...headerValues], n: 0 };
        this.headerCells.set(hk, h);
      }
      h.n++;
    }
  }

  /** One TLS request: `requests_tls_total{tls_version, tls_cipher, <own labels>}`. */
  recordTls(version: string, cipher: string, own1: string, own2: string | undefined): void {
    const key = `${version}\u0001${cipher}\u0001${own1}\u0001${own2 ?? ''}`;
    let t = this.tls.get(key);
    if (t === undefined) {
      const values = [version, cipher, own1];
      if (own2 !== undefined) values.push(own2);
      t = { values, n: 0 };
      this.tls.set(key, t);
    }
    t.n++;
  }

  write(w: ExpositionWriter): void {
    const p = this.prefix;
    const names = this.labelNames;
    w.family(`${p}_requests_total`, 'counter', `How many HTTP requests processed, per ${this.ownLabels[0]}.`);
    if (this.headerLabels.length > 0) {
      const withHeaders = [...names, ...this.headerLabels];
      for (const h of this.headerCells.values()) w.sample(`${p}_requests_total`, withHeaders, h.values, h.n);
    } else {
      for (const c of this.cells.values()) w.sample(`${p}_requests_total`, names, c.values, c.requests);
    }
    w.family(`${p}_requests_tls_total`, 'counter', 'How many HTTP requests with TLS processed.');
    const tlsNames = ['tls_version', 'tls_cipher', ...this.ownLabels];
    for (const t of this.tls.values()) w.sample(`${p}_requests_tls_total`, tlsNames, t.values, t.n);
    w.family(`${p}_request_duration_seconds`, 'histogram', 'How long it took to process the request.');
    for (const c of this.cells.values()) {
      w.histogram(
        `${p}_request_duration_seconds`,
        names,
        c.values,
        this.bounds,
        c.buckets,
        c.durationSum,
        c.requests,
      );
    }
    w.family(`${p}_requests_bytes_total`, 'counter', 'The total size of requests in bytes.');
    for (const c of this.cells.values())
      w.sample(`${p}_requests_bytes_total`, names, c.values, c.requestBytes);
    w.family(`${p}_responses_bytes_total`, 'counter', 'The total size of responses in bytes.');
    for (const c of this.cells.values())
      w.sample(`${p}_responses_bytes_total`, names, c.values, c.responseBytes);
  }
}
