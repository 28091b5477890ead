import { errorMessage } from '../../core/errors.js';
import { type AddressOptions, joinHostPort, serverAddress } from './address.js';
import type { LabelConstraint } from './constraints.js';
import type { ContainerData } from './containers.js';
import { childTree, decodeLabels, findKey, getKey, isTree, type Tree } from './labels.js';
import { normalizeName, type RenderTemplate } from './template.js';

/** The provider options that shape each container's configuration. */
export interface ContainerRules {
  exposedByDefault: boolean;
  network?: string | undefined;
  useBindPortIP: boolean;
  allowEmptyServices: boolean;
  defaultRule: RenderTemplate;
  constraints: LabelConstraint;
}

/** One container's contribution: its configuration, or nothing; problems and informational notes. */
export interface ContainerResult {
  config?: Tree;
  errors: string[];
  notes: string[];
}

type Protocol = 'http' | 'tcp' | 'udp';

/** Traefik's service name of a container: `<service>_<project>` under compose, else its name; normalized. */
export function serviceNameOf(container: ContainerData): string {
  const service = container.labels['com.docker.compose.service'];
  const project = container.labels['com.docker.compose.project'];
  return normalizeName(service && project ? `${service}_${project}` : container.name);
}

/** Why a container is left out (disabled, pruned by constraints, unhealthy), or undefined to keep it. */
export function exclusion(container: ContainerData, rules: ContainerRules): string | undefined {
  const enable = container.labels['traefik.enable'];
  if (enable !== undefined && !/^(true|false)$/i.test(enable.trim())) {
    return `traefik.enable: "${enable}" is not true or false`;
  }
  if (!(enable === undefined ? rules.exposedByDefault : /^true$/i.test(enable.trim()))) return 'disabled';
  if (!rules.constraints(container.labels)) return 'pruned by the constraints';
  if (!rules.allowEmptyServices && container.health !== '' && container.health !== 'healthy') {
    return `health status is ${container.health}`;
  }
  return undefined;
}

/**
 * One kept container's v2/v3 configuration from its labels, wired as Traefik does: a service per
 * container when the labels define none, the container's address as the server of every load-balancer
 * service (weighted, mirroring and failover services are kept as written — beyond Traefik), a router
 * with `defaultRule` when the labels define none, the rule and the service filled in where they are
 * missing and unambiguous.
 */
export function containerConfig(container: ContainerData, rules: ContainerRules): ContainerResult {
  const result: ContainerResult = { errors: [], notes: [] };
  const tree = decodeLabels(container.labels);
  const name = serviceNameOf(container);
  const address: AddressOptions = {
    network: container.labels['traefik.docker.network'] || rules.network,
    useBindPortIP: rules.useBindPortIP,
  };
  const noServers = container.health !== '' && container.health !== 'healthy';
  try {
    let tcpOrUdp = false;
    for (const protocol of ['tcp', 'udp'] as const) {
      const section = tree[protocol] as Tree | undefined;
      if (!section || (isEmpty(section.routers) && isEmpty(section.services))) continue;
      tcpOrUdp = true;
      addServers(section, protocol, name, container, address, noServers, result);
      wireRouters(section, protocol, result);
    }
    const http = childTree(tree, 'http');
    if (tcpOrUdp && isEmpty(http.routers) && isEmpty(http.services) && isEmpty(http.middlewares)) {
      delete tree.http;
    } else {
      addServers(http, 'http', name, container, address, noServers, result);
      defaultRouter(http, name, result);
      const data = { Name: name, ContainerName: container.name, Labels: container.labels };
      wireRouters(http, 'http', result, () => rules.defaultRule(data));
    }
  } catch (err) {
    result.errors.push(errorMessage(err));
    return result;
  }
  result.config = tree;
  return result;
}

function isEmpty(value: unknown): boolean {
  return !isTree(value) || Object.keys(value).length === 0;
}

/** Creates the container's service when there is none, then adds its server to every load balancer. */
function addServers(
  section: Tree,
  protocol: Protocol,
  name: string,
  container: ContainerData,
  address: AddressOptions,
  noServers: boolean,
  result: ContainerResult,
): void {
  if (isEmpty(section.services)) section.services = { [name]: { loadBalancer: {} } };
  for (const [serviceName, service] of Object.entries(section.services as Tree)) {
    // `traefik.tcp.services.x=` names a service of no kind: Traefik leaves the container out.
    if (!isTree(service) || isEmpty(service)) {
      throw new Error(`service "${serviceName}": load-balancer is not defined`);
    }
    const lbKey = findKey(service, 'loadBalancer');
    if (!lbKey) continue; // weighted, mirroring, failover: no server of this container to add
    const lb: Tree = isTree(service[lbKey]) ? { ...(service[lbKey] as Tree) } : {};
    service[lbKey] = lb;
    const serversKey = findKey(lb, 'servers') ?? 'servers';
    if (noServers) {
      // allowEmptyServices with an unhealthy container: the service exists, empty (503, not 404).
      lb[serversKey] = [];
      continue;
    }
    const servers = Array.isArray(lb[serversKey]) ? [...(lb[serversKey] as unknown[])] : [];
    const first: Tree = isTree(servers[0]) ? { ...servers[0] } : {};
    const portKey = findKey(first, 'port');
    const labelPort = portKey === undefined ? undefined : String(first[portKey]);
    if (portKey !== undefined) delete first[portKey];
    const target = serverAddress(container, labelPort, address);
    if (!target.ok) throw new Error(`service "${serviceName}": ${target.error}`);
    result.notes.push(...target.notes);
    const hostPort = joinHostPort(target.host, target.port);
    if (protocol === 'http') {
      const schemeKey = findKey(first, 'scheme');
      const scheme = schemeKey === undefined ? 'http' : String(first[schemeKey]);
      if (schemeKey !== undefined) delete first[schemeKey];
      if (getKey(first, 'url') === undefined) first.url = `${scheme}://${hostPort}`;
    } else if (getKey(first, 'address') === undefined) {
      first.address = hostPort;
    }
    servers[0] = first;
    lb[serversKey] = servers;
  }
}

/** Traefik: no router label and one service → a router named after the container. */
function defaultRouter(http: Tree, name: string, result: ContainerResult): void {
  if (!isEmpty(http.routers)) return;
  if (Object.keys(http.services as Tree).length > 1) {
    result.notes.push('no router created for the container: it defines several services');
    return;
  }
  http.routers = { [name]: {} };
}

/** Fills a missing rule (HTTP: `defaultRule`; TCP: an error) and a missing service (if only one). */
function wireRouters(
  section: Tree,
  protocol: Protocol,
  result: ContainerResult,
  defaultRule?: () => string,
): void {
  const routers = isTree(section.routers) ? section.routers : {};
  const services = Object.keys(isTree(section.services) ? section.services : {});
  for (const [routerName, raw] of Object.entries(routers)) {
    const router: Tree = isTree(raw) ? raw : {};
    routers[routerName] = router;
    const where = `${protocol} router "${routerName}"`;
    if (protocol !== 'udp' && !getKey(router, 'rule')) {
      if (!defaultRule) {
        result.errors.push(`${where}: empty rule; the router is left out`);
        delete routers[routerName];
        continue;
      }
      let rule: string;
      try {
        rule = defaultRule();
      } catch (err) {
        rule = '';
        result.errors.push(`${where}: defaultRule: ${errorMessage(err)}`);
      }
      if (!rule) {
        result.errors.push(`${where}: the default rule is empty; the router is left out`);
        delete routers[routerName];
        continue;
      }
      router.rule = rule;
    }
    if (!getKey(router, 'service')) {
      if (services.length !== 1) {
        result.errors.push(`${where}: no service label and the container defines several services`);
        delete routers[routerName];
        continue;
      }
      router.service = services[0];
    }
  }
}
