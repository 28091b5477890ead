export {
  compileProxyProtocol,
  decideProxyRead,
  type PeekSource,
  type ProxyDecision,
  type ProxyProtocolPolicy,
  type ProxyRead,
  peekProxyHeader,
  proxyProtocolStage,
  readProxyHeader,
} from './accept.js';
export {
  type ProxyAddress,
  type ProxyHeader,
  ProxyHeaderParser,
  type ProxyParse,
  parseProxyHeader,
  V1_MAX_LENGTH,
} from './parser.js';
export { encodeProxyHeader } from './writer.js';
