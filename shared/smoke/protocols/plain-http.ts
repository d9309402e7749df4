import { readJsonOutputs } from './json-outputs.ts';
import type { PlainHttpSettings, Protocol } from './types.ts';

/**
 * Any HTTP endpoint: one method and path, judged by status code, JSON
 * Schema, numbers in the JSON body, or text. Ready when `ready-path` answers
 * 2xx, or (without one) when `/` answers anything below 500.
 */
export function plainHttp(settings: PlainHttpSettings): Protocol {
  return {
    name: 'http',
    transport: 'http',
    needsModel: false,

    async probe(context) {
      const path = settings.readyPath ?? '/';
      const result = await context.client.send({ method: 'GET', path });
      context.record(result);
      const ready =
        settings.readyPath === undefined
          ? result.status < 500
          : result.status >= 200 && result.status < 300;
      return { ready, detail: `GET ${path} answered ${result.status}` } as const;
    },

    async metadata() {
      return undefined;
    },

    inferenceRequest(_target, body) {
      if (body === undefined) return { method: settings.method, path: settings.path };
      return {
        method: settings.method,
        path: settings.path,
        body: typeof body === 'string' ? body : JSON.stringify(body),
      };
    },

    readOutputs(body) {
      return readJsonOutputs(body);
    },
  };
}
