/**
 * The relay image preflight: a published Service with several replicas needs the relay image
 * (`--proxy-image`); when the engine does not have it, `diff` warns and `deploy` fails before any
 * change, naming the flag, the environment variable and the config key that choose it.
 */
import { Problem } from '../../core/errors';
import { CONFIG_FILE_NAMES, ResolvedSetting } from './config';
import type { Engine } from './engine';
import { DockerPlan } from './plan';

/** The relay image a plan needs and the Services that need it, or undefined when no relay runs. Pure. */
export function relayNeeds(plan: DockerPlan): { image: string; services: string[] } | undefined {
  const relays = plan.containers.filter((c) => c.role === 'proxy');
  if (!relays.length) return undefined;
  return { image: relays[0].image, services: [...new Set(relays.map((c) => c.object))].sort() };
}

/** What a missing relay image means, in the user's terms. Pure. */
export function missingRelayProblem(image: string, services: readonly string[], settings: Readonly<Record<string, ResolvedSetting>>, why: string): Problem {
  const chosen = settings.proxyImage;
  const where = chosen?.origin ?? `${services.join(', ')} (relay)`;
  const by = chosen?.origin ? `set by ${chosen.origin}` : 'the default';
  const pullOff = settings.pull?.value === false ? ` (pulling is off: ${settings.pull.origin})` : '';
  return {
    where,
    message: `the relay image "${image}" (${by}) that spreads ${services.join(', ')} over several replicas ${why}${pullOff}`,
    fix: `put it on the engine (docker pull ${image}, or docker load), or choose an image the engine has with --proxy-image IMAGE, DOCKYARD_PROXY_IMAGE, or "proxyImage:" under "docker:" in ${CONFIG_FILE_NAMES[0]}`,
  };
}

/** Options of `checkRelayImage`. */
export interface RelayCheckOptions {
  /** Try to pull the image when it is missing (deploy without --no-pull). @default false */
  readonly pull?: boolean;
  /** Told before a pull starts. @default none */
  readonly onPull?: (image: string) => void;
}

/**
 * Checks that the engine has the relay image the plan needs (pulling it when `pull`); returns the
 * problem to report, or undefined when there is none. Changes nothing in the project.
 */
export async function checkRelayImage(engine: Engine, plan: DockerPlan, settings: Readonly<Record<string, ResolvedSetting>>, opts: RelayCheckOptions = {}): Promise<Problem | undefined> {
  const need = relayNeeds(plan);
  if (!need) return undefined;
  try {
    await engine.get(`/images/${need.image}/json`);
    return undefined;
  } catch (e: any) {
    if (e?.statusCode !== 404) throw e;
  }
  if (!opts.pull) return missingRelayProblem(need.image, need.services, settings, 'is not on the engine');
  opts.onPull?.(need.image);
  try {
    const docker = engine.docker;
    const stream = await docker.pull(need.image);
    await new Promise<void>((resolve, reject) => docker.modem.followProgress(stream, (err: any) => (err ? reject(err) : resolve())));
    return undefined;
  } catch (e: any) {
    const reason = String(e?.json?.message ?? e?.message ?? e).split('\n')[0];
    return missingRelayProblem(need.image, need.services, settings, `is not on the engine and could not be pulled: ${reason}`);
  }
}
