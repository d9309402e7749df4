import { cloudOfHost, registryAccessFor } from '../clouds/registry-access.ts';
import { errorMessage, UserError } from '../common/errors.ts';
import type { Logger } from '../common/logger.ts';
import { formatReference, manifestReference, registryApiHost } from '../oci/reference.ts';
import type { ImageReference } from '../oci/reference.ts';
import { RegistryClient } from '../registry/client.ts';
import { ANNOTATION_PREFIX } from './annotations.ts';
import { RUNTIME_NAMES, type RuntimeName } from './runtimes/types.ts';

/** What package wrote into an image's annotations that deploy can use. */
export interface ImageFacts {
  /** The serving runtime the image was packaged for; undefined for an image package did not build. */
  runtime?: RuntimeName;
  /** The model version (`org.opencontainers.image.version`). */
  version?: string;
  /** The model name as served. */
  modelName?: string;
}

export interface ImageFactsOptions {
  logger: Logger;
  azureClientId?: string;
  azureTenantId?: string;
  endpoints?: Record<string, string>;
}

/** Reads the annotations of the image's top manifest (or index) from its registry. */
export async function readImageFacts(
  reference: ImageReference,
  options: ImageFactsOptions,
): Promise<ImageFacts> {
  const host = registryApiHost(reference);
  const name = formatReference(reference);
  let annotations: Record<string, string> | undefined;
  try {
    const access = await registryAccessFor(
      { cloud: cloudOfHost(reference.registry), host },
      {
        logger: options.logger,
        ...(options.azureClientId ? { azureClientId: options.azureClientId } : {}),
        ...(options.azureTenantId ? { azureTenantId: options.azureTenantId } : {}),
        ...(options.endpoints ? { endpoints: options.endpoints } : {}),
      },
    );
    const client = new RegistryClient({
      registry: host,
      credential: await access.credential(),
      logger: options.logger,
    });
    const manifest = await client.getManifest(reference.repository, manifestReference(reference));
    if (manifest === undefined) {
      throw new UserError(`the registry has no manifest for ${name}`, {
        hint: 'check the image input: it should be an output of the push action',
      });
    }
    annotations = (JSON.parse(manifest.bytes.toString('utf8')) as { annotations?: unknown })
      .annotations as Record<string, string> | undefined;
  } catch (err) {
    throw new UserError(
      `could not read the runtime of ${name} from its registry: ${errorMessage(err)}`,
      {
        hint: `set input 'runtime' (${RUNTIME_NAMES.join(', ')}), or let the runner read the image (the cloud's login step, or docker login for other registries)`,
        cause: err,
      },
    );
  }
  const get = (key: string): string | undefined => {
    const value = annotations?.[key];
    return typeof value === 'string' && value !== '' ? value : undefined;
  };
  const runtime = get(`${ANNOTATION_PREFIX}.runtime`);
  return {
    ...(runtime !== undefined && (RUNTIME_NAMES as readonly string[]).includes(runtime)
      ? { runtime: runtime as RuntimeName }
      : {}),
    ...(get('org.opencontainers.image.version')
      ? { version: get('org.opencontainers.image.version') as string }
      : {}),
    ...(get(`${ANNOTATION_PREFIX}.model.name`)
      ? { modelName: get(`${ANNOTATION_PREFIX}.model.name`) as string }
      : {}),
  };
}
