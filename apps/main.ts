import { App } from 'cdk8s';
import { buildExamples } from './index';
import { runSynth } from '../lib';

// The cdk8s app of the examples (cdk8s.yaml runs the compiled build/apps/main.js). runSynth prints
// user errors without a stack trace, leaves dist/ as it was, and exits 1.
runSynth(() => {
  const app = new App();
  buildExamples(app);
  return app;
});
