import type { FieldPath } from './field-path';

/**
 * Where the pod template (its `metadata` and `spec`) sits in each built-in kind that carries one; a
 * Pod is its own template. The one table: the API-server rules of the schema check read pods by it,
 * and so does the IR's pod-spec view (lib/ir/pod-spec.ts), which adds workload custom resources.
 */
export const POD_TEMPLATE_PATHS: Readonly<Record<string, FieldPath>> = {
  Pod: [],
  PodTemplate: ['template'],
  ReplicationController: ['spec', 'template'],
  ReplicaSet: ['spec', 'template'],
  Deployment: ['spec', 'template'],
  StatefulSet: ['spec', 'template'],
  DaemonSet: ['spec', 'template'],
  Job: ['spec', 'template'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template'],
};
