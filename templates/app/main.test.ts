import { Testing } from 'dockyard';
import { WebChart } from './main';

describe('WebChart', () => {
  test('serves port 80 and reads its settings from a ConfigMap', () => {
    const chart = new WebChart(Testing.app(), 'test');
    const objects = Testing.synth(chart);

    const service = Testing.find(objects, 'Service');
    expect(service.spec?.ports?.[0].port).toBe(80);
    const config = Testing.find(objects, 'ConfigMap');
    expect(config.data?.GREETING).toBe('hello from {{name}}');

    expect(Testing.yaml(chart)).toMatchSnapshot();
  });
});
