// Written from the modules' exports; test/core/lazy-exports.test.ts checks that the lists match.
// The compose source, the Docker host target and the graph are exported from the package root but loaded on
// first use, so that a program that only synthesizes YAML does not load (and compile) them.
import type * as compose from './compose';
import type * as docker from './targets/docker';
import type * as graph from './graph';

export type * from './compose';
export declare const ComposeApp: typeof compose.ComposeApp;
export type ComposeApp = compose.ComposeApp;
export declare const composeMapping: typeof compose.composeMapping;
export declare const instantiatePlan: typeof compose.instantiatePlan;
export declare const interpolate: typeof compose.interpolate;
export declare const loadCompose: typeof compose.loadCompose;
export declare const locateComposeKey: typeof compose.locateComposeKey;
export declare const planCompose: typeof compose.planCompose;
export declare const planToTypeScript: typeof compose.planToTypeScript;

export type * from './targets/docker';
export declare const DEFAULT_PROXY_COMMAND: typeof docker.DEFAULT_PROXY_COMMAND;
export declare const DEFAULT_PROXY_IMAGE: typeof docker.DEFAULT_PROXY_IMAGE;
export declare const Engine: typeof docker.Engine;
export type Engine = docker.Engine;
export declare const EngineMoved: typeof docker.EngineMoved;
export type EngineMoved = docker.EngineMoved;
export declare const LABELS: typeof docker.LABELS;
export declare const WORKLOAD_KINDS: typeof docker.WORKLOAD_KINDS;
export declare const againstPrevious: typeof docker.againstPrevious;
export declare const buildReport: typeof docker.buildReport;
export declare const computeChanges: typeof docker.computeChanges;
export declare const connect: typeof docker.connect;
export declare const containerState: typeof docker.containerState;
export declare const cpuCell: typeof docker.cpuCell;
export declare const cpuPercent: typeof docker.cpuPercent;
export declare const deployPlan: typeof docker.deployPlan;
export declare const destroyProject: typeof docker.destroyProject;
export declare const displayObject: typeof docker.displayObject;
export declare const driftFromLabels: typeof docker.driftFromLabels;
export declare const driftFromPlan: typeof docker.driftFromPlan;
export declare const driftLine: typeof docker.driftLine;
export declare const expandVars: typeof docker.expandVars;
export declare const formatBytes: typeof docker.formatBytes;
export declare const formatChange: typeof docker.formatChange;
export declare const formatPercent: typeof docker.formatPercent;
export declare const keepsRunning: typeof docker.keepsRunning;
export declare const mapProbe: typeof docker.mapProbe;
export declare const mapResources: typeof docker.mapResources;
export declare const mapRestartPolicy: typeof docker.mapRestartPolicy;
export declare const mapSecurityContext: typeof docker.mapSecurityContext;
export declare const memoryCell: typeof docker.memoryCell;
export declare const memoryUsage: typeof docker.memoryUsage;
export declare const namePrefix: typeof docker.namePrefix;
export declare const parseQuantity: typeof docker.parseQuantity;
export declare const ping: typeof docker.ping;
export declare const planDocker: typeof docker.planDocker;
export declare const podDrift: typeof docker.podDrift;
export declare const podNames: typeof docker.podNames;
export declare const projectStatus: typeof docker.projectStatus;
export declare const publishedPorts: typeof docker.publishedPorts;
export declare const readActual: typeof docker.readActual;
export declare const readStatus: typeof docker.readStatus;
export declare const renderStatus: typeof docker.renderStatus;
export declare const resolveIntOrPercent: typeof docker.resolveIntOrPercent;
export declare const specDifferences: typeof docker.specDifferences;
export declare const table: typeof docker.table;
export declare const tempName: typeof docker.tempName;
export declare const toCreateOptions: typeof docker.toCreateOptions;
export declare const workloadRows: typeof docker.workloadRows;
export declare const worstHealth: typeof docker.worstHealth;

// The graph module has its own selectorMatches (policy's is the public one): a few names only.
export type { Graph, GraphNode, GraphEdge, GraphOptions, PngOptions } from './graph';
export declare const buildGraph: typeof graph.buildGraph;
export declare const graphOfApp: typeof graph.graphOfApp;
export declare const toMermaid: typeof graph.toMermaid;
export declare const toDot: typeof graph.toDot;
export declare const graphToSvg: typeof graph.graphToSvg;
export declare const graphToPng: typeof graph.graphToPng;

/** The value exports of each lazily loaded module. */
const LAZY_EXPORTS: Record<string, readonly string[]> = {
  './compose': ['ComposeApp', 'composeMapping', 'instantiatePlan', 'interpolate', 'loadCompose', 'locateComposeKey', 'planCompose', 'planToTypeScript'],
  './targets/docker': ['DEFAULT_PROXY_COMMAND', 'DEFAULT_PROXY_IMAGE', 'Engine', 'EngineMoved', 'LABELS', 'WORKLOAD_KINDS', 'againstPrevious', 'buildReport', 'computeChanges', 'connect', 'containerLogs', 'containerState', 'cpuCell', 'cpuPercent', 'deployPlan', 'destroyProject', 'displayObject', 'driftFromLabels', 'driftFromPlan', 'driftLine', 'expandVars', 'formatBytes', 'formatChange', 'formatPercent', 'keepsRunning', 'lightClient', 'mapProbe', 'mapResources', 'mapRestartPolicy', 'mapSecurityContext', 'memoryCell', 'memoryUsage', 'namePrefix', 'parseQuantity', 'ping', 'planDocker', 'podDrift', 'podNames', 'projectStatus', 'publishedPorts', 'readActual', 'readStatus', 'renderStatus', 'resolveIntOrPercent', 'specDifferences', 'table', 'tempName', 'toCreateOptions', 'waitReady', 'workloadRows', 'worstHealth'],
  './graph': ['buildGraph', 'graphOfApp', 'toMermaid', 'toDot', 'graphToSvg', 'graphToPng'],
};

for (const [module, names] of Object.entries(LAZY_EXPORTS)) {
  for (const name of names) {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    Object.defineProperty(exports, name, { enumerable: true, get: () => require(module)[name] });
  }
}
