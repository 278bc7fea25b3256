import * as pulumi from '@pulumi/pulumi';
import { byName, installMocks, ofType, settle, valueOf } from './harness';

// As `pulumi up` does: config first, then the program module is loaded and runs at import.
installMocks();
pulumi.runtime.setAllConfig({
  'dockyard:target': 'kind',
  'dockyard:apps': 'nginx-webapp,configmap-site',
  'kubernetes:context': 'kind-dev',
}, []);

describe('apps/pulumi/index.ts (the Pulumi.yaml main)', () => {
  test('reads the stack config, deploys to kind and exports endpoints and notes', async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const program = require('../../../apps/pulumi/index');
    await settle();
    expect(program.target).toBe('kind');
    expect(program.charts).toEqual(['nginx-webapp', 'configmap-site']);
    expect(byName('k8s').inputs.context).toBe('kind-dev');
    expect(ofType('dockyard:pulumi:KubernetesApp')).toHaveLength(1);
    expect(program.notes).toHaveLength(2);
    expect(Object.keys(await valueOf(program.endpoints)).sort()).toEqual(['Service/site-reader', 'Service/web-service']);
    expect(program.published).toBeUndefined();
  });
});
