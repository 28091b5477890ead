import { STATUS_CODES } from 'node:http';
import { SwitchyardError } from '../../core/errors.js';
import { sendText } from '../../core/http-context.js';
import type { Middleware } from '../contract.js';
import { IpRanges, ipSelector } from '../ip-strategy.js';
import type { IpAllowListOptions } from './schema.js';

/**
 * Lets a request through when its source address (chosen by `ipStrategy`) is in `sourceRange`; otherwise
 * answers `rejectStatusCode` (403) with the status text. A strategy that selects no address refuses.
 */
export function createIpAllowList(options: IpAllowListOptions, type: string): Middleware {
  if (options.sourceRange.length === 0)
    throw new SwitchyardError('CONFIG_INVALID', `${type}: sourceRange is empty`);
  const ranges = new IpRanges(options.sourceRange, type);
  const select = ipSelector(options.ipStrategy, type);
  const status = options.rejectStatusCode === 0 ? 403 : options.rejectStatusCode;
  if (status < 100)
    throw new SwitchyardError('CONFIG_INVALID', `${type}: rejectStatusCode ${status} is not an HTTP status`);
  const text = STATUS_CODES[status] ?? 'Forbidden';
  return (next) => (ctx) => {
    const ip = select(ctx);
    if (ip !== '' && ranges.contains(ip)) next(ctx);
    else sendText(ctx, status, text);
  };
}
