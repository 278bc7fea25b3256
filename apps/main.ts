import { App } from 'cdk8s';
import { buildExamples } from './index';
import { isUserError, synthApp } from '../lib';

// The cdk8s app of the examples (cdk8s.yaml runs the compiled build/apps/main.js).
const app = new App();
buildExamples(app);
try {
  synthApp(app, { log: (l) => console.log(l) });
} catch (e) {
  if (!isUserError(e)) throw e;
  console.error(`synth failed; dist/ was left as it was.\n${(e as Error).message}`);
  process.exit(1);
}
