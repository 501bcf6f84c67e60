import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, loadConfig, REPO_ROOT } from '#porch/core';
import { createTestApp, type TestApp } from '../utils/test-app.js';
import {
  type AppFacts,
  dockerfileFacts,
  envExampleNames,
  K8S_DIR,
  type K8sObject,
  kubectlKustomize,
  kustomizeBuild,
  of,
  OVERLAYS,
  porchProblems,
  render,
  schemaProblems,
  secretTemplate,
  unknownKeyProblems,
} from './manifests.js';

/**
 * Names the manifests use ahead of the branches that add them to Porch: the graceful stop's
 * variables (hardening issue, point 8) and the CDC worker's `manage cdc`. Once those land, the
 * config and the manage CLI know them and these entries change nothing.
 */
const PENDING_ENV = ['SHUTDOWN_DRAIN_MS', 'SHUTDOWN_TIMEOUT_MS'];
const PENDING_COMMANDS = ['cdc'];

function manageCommands(): Set<string> {
  const dir = join(REPO_ROOT, 'apps/manage/src/commands');
  const names = readdirSync(dir)
    .filter((f) => f.endsWith('.ts'))
    .flatMap((f) => [
      ...readFileSync(join(dir, f), 'utf8').matchAll(/@Command\(\{\s*name: '([\w-]+)'/g),
    ])
    .map((m) => m[1]);
  return new Set([...names, ...PENDING_COMMANDS]);
}

const app: AppFacts = {
  knownEnv: new Set([
    ...envExampleNames(readFileSync(join(REPO_ROOT, 'config/.env.example'), 'utf8')),
    ...PENDING_ENV,
  ]),
  manageCommands: manageCommands(),
  dockerfile: dockerfileFacts(readFileSync(join(REPO_ROOT, 'Dockerfile'), 'utf8')),
};

const clone = <T>(value: T): T => structuredClone(value);
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- reaching into rendered JSON
const find = (objects: K8sObject[], kind: string, name: string): any =>
  objects.find((o) => o.kind === kind && o.metadata.name === name);

describe('Kubernetes manifests (deploy/k8s)', () => {
  const rendered = Object.fromEntries(OVERLAYS.map((o) => [o, render(o)])) as Record<
    (typeof OVERLAYS)[number],
    K8sObject[]
  >;
  const secret = secretTemplate();
  const secretData = secret.stringData as Record<string, string>;

  it('finds what it checks against: config names, manage commands, the Dockerfile', () => {
    expect(app.knownEnv).toContain('DATABASE_URL');
    expect(app.knownEnv).toContain('METRICS_PORT');
    expect(app.manageCommands).toContain('migrate');
    expect(app.dockerfile).toMatchObject({
      user: 'node',
      workdir: '/app',
      cmd: ['node', 'dist/apps/api/src/main.js'],
    });
    expect(app.dockerfile.exposed).toContain(3000);
  });

  it.each(OVERLAYS)('renders %s with every part the operator needs', (overlay) => {
    const kinds = rendered[overlay].map((o) => `${o.kind}/${o.metadata.name}`);
    for (const expected of [
      'Namespace/',
      'ServiceAccount/porch',
      'ConfigMap/porch-config-',
      'Deployment/porch-api',
      'Service/porch-api',
      'PodDisruptionBudget/porch-api',
      'HorizontalPodAutoscaler/porch-api',
      'Job/porch-migrate',
      'Deployment/porch-cdc',
      'NetworkPolicy/porch-default-deny',
    ])
      expect(kinds.some((k) => k.startsWith(expected))).toBe(true);
    const namespace = of(rendered[overlay], 'Namespace')[0].metadata.name;
    for (const o of rendered[overlay])
      if (o.kind !== 'Namespace')
        expect(`${o.kind} ${o.metadata.namespace}`).toBe(`${o.kind} ${namespace}`);
  });

  it('renders the same with kubectl kustomize, where kubectl is installed', () => {
    for (const overlay of OVERLAYS) {
      const dir = join(K8S_DIR, 'overlays', overlay);
      const kubectl = kubectlKustomize(dir);
      if (kubectl === undefined) return console.warn('kubectl not installed: cross-check skipped');
      expect(kubectl).toBe(kustomizeBuild(dir));
    }
  });

  it.each(OVERLAYS)(
    'validates every object of %s against the Kubernetes schemas',
    async (overlay) => {
      expect(await schemaProblems([...rendered[overlay], secret])).toEqual([]);
    },
  );

  it('catches schema errors', async () => {
    const objects = clone(rendered.prod);
    find(objects, 'Deployment', 'porch-api').spec.replicas = 'two';
    find(objects, 'HorizontalPodAutoscaler', 'porch-api').spec.scaleTargetRef = {
      kind: 'Deployment',
    };
    const problems = await schemaProblems(objects);
    expect(problems).toEqual([
      expect.stringMatching(/Deployment\/porch-api: .*replicas must be integer/),
      expect.stringMatching(
        /HorizontalPodAutoscaler\/porch-api: .*must have required property '?name'?/,
      ),
    ]);
  });

  it('has no key the Kubernetes schemas do not know, in any overlay', () => {
    expect(unknownKeyProblems([...rendered.dev, ...rendered.prod, secret])).toEqual([]);
  });

  it('catches unknown keys however deep', () => {
    // TypeScript reports the first unknown key of each object: one per object here.
    const objects = clone(rendered.prod);
    const api = find(objects, 'Deployment', 'porch-api').spec.template.spec.containers[0];
    api.readinesProbe = api.readinessProbe;
    find(objects, 'Job', 'porch-migrate').spec.template.spec.volumes[0].emptyDir.sizelimit = '1Gi';
    find(objects, 'Service', 'porch-api').spec.ports[0].targetport = 'http';
    const problems = unknownKeyProblems(objects).join('\n');
    expect(problems).toMatch(/Deployment\/porch-api.*'"?readinesProbe"?' does not exist/);
    expect(problems).toMatch(/Job\/porch-migrate.*'"?sizelimit"?' does not exist/);
    expect(problems).toMatch(/Service\/porch-api.*'"?targetport"?' does not exist/);
    expect(unknownKeyProblems(objects)).toHaveLength(3);
  });

  it.each(OVERLAYS)('follows Porch’s rules in %s', (overlay) => {
    expect(porchProblems(rendered[overlay], secret, app)).toEqual([]);
  });

  it('catches broken references, unsafe pods and a stop that would drop requests', () => {
    const objects = clone(rendered.prod);
    const api = find(objects, 'Deployment', 'porch-api');
    const pod = api.spec.template.spec;
    const c = pod.containers[0];
    find(objects, 'Service', 'porch-api').spec.selector = { 'app.kubernetes.io/component': 'apj' };
    find(objects, 'HorizontalPodAutoscaler', 'porch-api').spec.scaleTargetRef.name = 'porch';
    c.readinessProbe.httpGet.path = '/healthz';
    c.ports[0].containerPort = 8080;
    c.securityContext.readOnlyRootFilesystem = false;
    c.env = [{ name: 'DATABASE_URI', value: 'x' }];
    c.lifecycle.preStop.sleep.seconds = 1;
    api.spec.strategy.rollingUpdate.maxUnavailable = 1;
    find(objects, 'Deployment', 'porch-cdc').spec.strategy = { type: 'RollingUpdate' };
    find(objects, 'Job', 'porch-migrate').spec.template.spec.containers[0].image = 'postgres:18';
    const problems = porchProblems(objects, secret, app).join('\n');
    for (const expected of [
      /Service\/porch-api: selects no pods/,
      /HorizontalPodAutoscaler\/porch-api: scaleTargetRef Deployment\/porch does not exist/,
      /readinessProbe is not GET \/health\/ready/,
      /port http 8080 is not PORT 3000/,
      /port http is not the Dockerfile's EXPOSE/,
      /container api: root filesystem is writable/,
      /container api: DATABASE_URI is not a variable Porch reads/,
      /preStop sleep 1s does not match the 5000 ms drain/,
      /maxUnavailable must be 0/,
      /Deployment\/porch-cdc: strategy is not Recreate/,
      /expected one image/,
    ])
      expect(problems).toMatch(expected);
    const leaky = clone(secret) as K8sObject & { stringData: Record<string, string> };
    leaky.stringData.SESSION_SECRET = 'a-real-looking-secret-value-0123456789abcdef';
    expect(porchProblems(rendered.prod, leaky, app).join('\n')).toMatch(
      /SESSION_SECRET is not a placeholder/,
    );
  });

  it.each(OVERLAYS)(
    'gives Porch a configuration it accepts in %s (secrets filled in)',
    (overlay) => {
      const config = of(rendered[overlay], 'ConfigMap')[0].data as Record<string, string>;
      const filled = {
        DATABASE_URL: 'postgres://porch:pw@db.internal:5432/porch',
        SESSION_SECRET: 'x'.repeat(48),
        REDIS_URL: 'redis://redis.internal:6379',
        SMTP_URL: 'smtp://mail.internal:587',
      };
      expect(Object.keys(filled).sort()).toEqual(Object.keys(secretData).sort());
      const loaded = loadConfig({ ...config, ...filled });
      expect(loaded).toMatchObject({ NODE_ENV: 'production', MIGRATE_ON_START: false, PORT: 3000 });
    },
  );

  it('ships a Secret template that Porch refuses until it is filled in', () => {
    const config = of(rendered.prod, 'ConfigMap')[0].data as Record<string, string>;
    const env = { ...config, ...secretData };
    let error: unknown;
    try {
      loadConfig(env);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    for (const name of ['DATABASE_URL', 'SESSION_SECRET', 'REDIS_URL'])
      expect(problems).toContain(name);
  });

  describe('probes and ports against the running app', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp();
    });
    afterAll(async () => {
      await t?.close();
    });

    it('answers every probe path of every pod', async () => {
      const paths = new Set<string>();
      for (const overlay of OVERLAYS)
        for (const d of of(rendered[overlay], 'Deployment'))
          for (const c of d.spec.template.spec.containers)
            for (const probe of ['startupProbe', 'livenessProbe', 'readinessProbe'])
              if (c[probe]?.httpGet) paths.add(c[probe].httpGet.path);
      expect([...paths].sort()).toEqual(['/health/live', '/health/ready']);
      for (const path of paths) await t.http.get(path).expect(200);
    });
  });
});
