import { convertV1Dynamic, type V1Conversion } from './dynamic.js';
import { put, type V1Object } from './v1-tree.js';

/** The container a set of v1 labels belongs to. `domain` is the v1 docker provider's `domain`. */
export interface V1Container {
  name: string;
  ip?: string;
  ports: number[];
  domain?: string;
}

/** Label values that are header maps written `Name:value||Name2:value2`. */
const HEADER_MAPS = new Set(['customrequestheaders', 'customresponseheaders', 'sslproxyheaders', 'headers']);

function headerMap(value: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of value.split('||')) {
    const colon = pair.indexOf(':');
    if (colon > 0) out[pair.slice(0, colon).trim()] = pair.slice(colon + 1).trim();
  }
  return out;
}

/** One frontend/backend pair's labels (the default one, or a `traefik.<segment>.` one). */
interface Segment {
  props: Map<string, string>;
}

const SEGMENT_KEYS = new Set(['port', 'backend', 'weight', 'protocol', 'frontend', 'enable']);

/**
 * Converts a container's Traefik v1 labels (`traefik.backend`, `traefik.frontend.rule`, `traefik.port`,
 * `traefik.weight`, `traefik.protocol`, `traefik.enable`, `traefik.frontend.*`, `traefik.backend.*`, and the
 * same under `traefik.<segment>.`) into a v3 dynamic raw tree, through the v1 converter. The backend is named
 * by `traefik.backend` (default: the container name; `<name>-<segment>` for segments); the router takes the
 * backend's name. Without a rule the v1 default `Host:<container>.<domain>` is used.
 *
 * @example convertV1Labels({ 'traefik.frontend.rule': 'Host:a.test' }, { name: 'a', ip: '10.0.0.2', ports: [80] })
 */
export function convertV1Labels(labels: Record<string, string>, container: V1Container): V1Conversion {
  const warnings: string[] = [];
  const lower = new Map(Object.entries(labels).map(([k, v]) => [k.toLowerCase(), v]));
  if (lower.get('traefik.enable')?.trim().toLowerCase() === 'false')
    return { config: {}, warnings, errors: [] };
  const segments = new Map<string, Segment>([['', { props: new Map() }]]);
  for (const [key, value] of Object.entries(labels)) {
    if (!/^traefik\./i.test(key)) continue;
    const rest = key.slice('traefik.'.length);
    const [first, ...tail] = rest.split('.');
    const isSegment =
      tail.length > 0 && !SEGMENT_KEYS.has(first!.toLowerCase()) && first!.toLowerCase() !== 'docker';
    const name = isSegment ? first! : '';
    const prop = isSegment ? tail.join('.') : rest;
    if (!segments.has(name)) segments.set(name, { props: new Map() });
    segments.get(name)!.props.set(prop, value);
  }
  const hasSegments = segments.size > 1;
  const v1: V1Object = { backends: {}, frontends: {} };
  for (const [segmentName, segment] of segments) {
    if (
      segmentName === '' &&
      hasSegments &&
      ![...segment.props.keys()].some((k) => /^frontend\.rule$/i.test(k))
    )
      continue; // only segments carry routing; the default labels are defaults for them
    const prop = (k: string) =>
      [...segment.props].find(([p]) => p.toLowerCase() === k)?.[1] ?? segments.get('')!.props.get(k);
    const backendName =
      (segmentName ? segment.props.get('backend') : prop('backend')) ??
      (segmentName ? `${container.name}-${segmentName}` : container.name);
    const port = Number(prop('port') ?? [...container.ports].sort((a, b) => a - b)[0]);
    if (!container.ip || !Number.isInteger(port) || port <= 0) {
      warnings.push(`container ${container.name}: no IP address or port; segment "${segmentName}" skipped`);
      continue;
    }
    const protocol = prop('protocol') ?? 'http';
    const host = container.ip.includes(':') ? `[${container.ip}]` : container.ip;
    const server: V1Object = { url: `${protocol}://${host}:${port}` };
    if (prop('weight') !== undefined) server.weight = prop('weight');
    const backend: V1Object = { servers: { server0: server } };
    const frontend: V1Object = { backend: backendName };
    const domain = container.domain ? `.${container.domain}` : '';
    const rule = prop('frontend.rule') ?? `Host:${container.name}${domain}`;
    frontend.routes = { 'route-0': { rule } };
    const sources = segmentName ? [segments.get('')!.props, segment.props] : [segment.props];
    for (const props of sources) {
      for (const [key, value] of props) {
        const parts = key.split('.');
        const head = parts[0]!.toLowerCase();
        if ((head !== 'frontend' && head !== 'backend') || parts.length < 2) continue;
        if (key.toLowerCase() === 'frontend.rule') continue;
        const path = parts.slice(1);
        const leaf = path[path.length - 1]!.toLowerCase();
        const target = head === 'frontend' ? frontend : backend;
        if (head === 'backend' && leaf === 'stickiness') {
          if (value.trim().toLowerCase() === 'true')
            put(target, [...path.slice(0, -1), 'stickiness', 'enabled'], 'true');
          continue;
        }
        const isList =
          head === 'frontend' && (leaf === 'entrypoints' || leaf === 'users' || leaf === 'status');
        put(target, path, HEADER_MAPS.has(leaf) ? headerMap(value) : isList ? value.split(',') : value);
      }
    }
    (v1.backends as V1Object)[backendName] = backend;
    (v1.frontends as V1Object)[backendName] = frontend;
  }
  const converted = convertV1Dynamic(v1, { provider: 'docker' });
  return {
    config: converted.config,
    warnings: [...warnings, ...converted.warnings],
    errors: converted.errors,
  };
}
