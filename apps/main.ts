// Synthesizes every example app: Kubernetes 1.27 examples into dist/, examples that declare a
// Kubernetes 1.13 cluster into dist/k8s-1.13/. Run with `npm run synth` or `npx cdk8s synth`.
import * as path from 'path';
import { PatternsApp } from '../lib';
import { addConfigRollout } from './config-rollout';
import { addEnvoyInjector } from './envoy-injector';
import { addFluentd } from './fluentd';
import { addHelloCronJob } from './hello-cronjob';
import { addInitContainersPod } from './init-containers-pod';
import { addInitializerConfigs113 } from './initializer-config-1.13';
import { addIstioApp } from './istio-app';
import { addLxcfs } from './lxcfs';
import { addMetrics } from './metrics';
import { addMixedPlus } from './mixed-plus';
import { addNamespaceSecurity } from './namespace-security';
import { addNetworkPolicies } from './network-policies';
import { addMysql } from './mysql';
import { addNginxDeployment } from './nginx-deployment';
import { addNetworkCrd } from './network-crd';
import { addNginxWeb } from './nginx-web';
import { addPiJob } from './pi-job';
import { addPodinit } from './podinit';
import { addPodPreset } from './podpreset';
import { addRbacBasics } from './rbac-basics';
import { addZookeeper } from './zookeeper';

/** Builds the example apps: Kubernetes 1.27 ones writing to `outdir`, 1.13 ones to `outdir/k8s-1.13`. */
export function buildApps(outdir: string): PatternsApp[] {
  const app = new PatternsApp({ outdir });
  addNginxWeb(app);
  addMysql(app);
  addNginxDeployment(app);
  addIstioApp(app);
  addFluentd(app);
  addPiJob(app);
  addHelloCronJob(app);
  addRbacBasics(app);
  addNetworkCrd(app);
  addLxcfs(app);
  addPodPreset(app);
  addEnvoyInjector(app);
  addPodinit(app);
  addNamespaceSecurity(app);
  addInitContainersPod(app);
  addZookeeper(app);
  addMixedPlus(app);
  addConfigRollout(app);
  addMetrics(app);
  addNetworkPolicies(app);
  const app113 = new PatternsApp({ outdir: path.join(outdir, 'k8s-1.13') });
  addInitializerConfigs113(app113);
  return [app, app113];
}

if (require.main === module || process.env.CDK8S_PATTERNS_SYNTH === '1') {
  // both apps in one transaction: dist/ and dist/k8s-1.13/ change together or not at all
  PatternsApp.synthAll(buildApps(path.join(__dirname, '..', 'dist')));
}
