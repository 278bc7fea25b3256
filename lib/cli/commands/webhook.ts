import { CliCommand } from '../command';
import { parseFlags } from '../args';
import { DockyardError } from '../../core/errors';
import { createWebhookServer } from '../../metacontroller/server';

const usage = 'dockyard webhook podservice [--port N] [--host ADDR] [--max-body BYTES] [--resync SECONDS]';

function intFlag(name: string, value: string | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || n > max) {
    throw new DockyardError({ where: `--${name}`, message: `"${value}" is not a whole number between ${min} and ${max}`, fix: `usage: ${usage}` });
  }
  return n;
}

/**
 * `dockyard webhook podservice`: the Metacontroller sync/finalize hook for PodService. Listens on
 * 127.0.0.1 unless told otherwise (the in-cluster Deployment passes `--host 0.0.0.0`); SIGTERM or
 * SIGINT stop accepting, finish in-flight requests and exit 0.
 */
export const command: CliCommand = {
  summary: 'serve the PodService Metacontroller hooks (/sync, /finalize, /healthz)',
  usage,
  async run(args, io) {
    const { values, positionals } = parseFlags(args, {
      port: { type: 'string', help: 'port to listen on (0 picks a free one)', defaultText: '8080', valueName: 'N' },
      host: { type: 'string', help: 'address to listen on (0.0.0.0 inside a cluster)', defaultText: '127.0.0.1', valueName: 'ADDR' },
      'max-body': { type: 'string', help: 'largest request body accepted', defaultText: '1048576', valueName: 'BYTES' },
      resync: { type: 'string', help: 'resyncAfterSeconds returned to Metacontroller', defaultText: '10', valueName: 'SECONDS' },
    }, usage);
    if (positionals.length !== 1 || positionals[0] !== 'podservice') {
      throw new DockyardError({ where: 'arguments', message: positionals.length ? `unknown webhook "${positionals.join(' ')}"` : 'which webhook to serve is missing', fix: `usage: ${usage}` });
    }
    const port = intFlag('port', values.port, 8080, 0, 65535);
    const host = values.host ?? '127.0.0.1';
    const log = (line: string) => io.err(line + '\n');
    // If whoever reads our logs goes away (EPIPE), keep serving rather than die on the stream error.
    process.stderr.on('error', () => undefined);
    const hook = createWebhookServer({
      log,
      maxBodyBytes: intFlag('max-body', values['max-body'], 1024 * 1024, 1024, 64 * 1024 * 1024),
      resyncSeconds: intFlag('resync', values.resync, 10, 1, 86400),
    });
    let address;
    try {
      address = await hook.listen(port, host);
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      throw new DockyardError({ where: `--host ${host} --port ${port}`, message: `cannot listen: ${err.code ?? err.message}`, fix: err.code === 'EADDRINUSE' ? 'choose a free --port' : 'use an address of this machine, like 127.0.0.1 or 0.0.0.0' });
    }
    const url = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;
    log(JSON.stringify({ time: new Date().toISOString(), level: 'info', msg: 'listening', url, port: address.port, pid: process.pid }));
    await new Promise<void>((resolve) => {
      const stop = (signal: string) => {
        process.off('SIGTERM', onTerm);
        process.off('SIGINT', onInt);
        log(JSON.stringify({ time: new Date().toISOString(), level: 'info', msg: 'shutting down', signal }));
        hook.close().then(() => { log(JSON.stringify({ time: new Date().toISOString(), level: 'info', msg: 'stopped' })); resolve(); });
      };
      const onTerm = () => stop('SIGTERM');
      const onInt = () => stop('SIGINT');
      process.on('SIGTERM', onTerm);
      process.on('SIGINT', onInt);
    });
    return 0;
  },
};
