import { parse as parseYaml } from 'yaml';
import { errorMessage, SwitchyardError } from '../../core/errors.js';

/**
 * A dynamic configuration received over HTTP: JSON, or YAML (which JSON also is). The content type only
 * decides which parser's error is reported; an empty body is an empty configuration.
 */
export function parseConfigBody(body: string, contentType: string | undefined): unknown {
  if (body.trim() === '') return {};
  const json = /json/i.test(contentType ?? '');
  try {
    const value = json ? JSON.parse(body) : parseYaml(body);
    if (value === null || value === undefined) return {};
    if (typeof value !== 'object' || Array.isArray(value)) {
      throw new Error('the body is not an object');
    }
    return value;
  } catch (err) {
    throw new SwitchyardError(
      'PROVIDER_READ',
      `cannot parse the configuration as ${json ? 'JSON' : 'YAML or JSON'}: ${errorMessage(err)}`,
      { cause: err },
    );
  }
}
