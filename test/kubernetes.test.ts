import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { makePng } from './helpers/png.js';
import { useSimulator } from './helpers/sim.js';

const ROOT = join(import.meta.dirname, '..');
const EXAMPLES = join(ROOT, 'examples', 'kubernetes');
// Each resource is also validated against the Kubernetes API's own schemas (kubernetes-models, for batch/v1 Job and
// v1 PersistentVolumeClaim); the assertions below check what the schemas cannot: that the pieces fit together.
import { loadAll } from 'js-yaml';
import { Job as JobModel } from 'kubernetes-models/batch/v1/Job';
import { PersistentVolumeClaim as ClaimModel } from 'kubernetes-models/v1/PersistentVolumeClaim';

interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name: string; key: string } };
}
interface Container {
  name: string;
  image: string;
  command: string[];
  args?: string[];
  env?: EnvVar[];
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext?: { readOnlyRootFilesystem?: boolean; allowPrivilegeEscalation?: boolean; capabilities?: { drop?: string[] } };
  volumeMounts?: { name: string; mountPath: string }[];
}
interface PodSpec {
  restartPolicy: string;
  securityContext?: { runAsNonRoot?: boolean; runAsUser?: number };
  containers: Container[];
  volumes?: { name: string; persistentVolumeClaim?: { claimName: string } }[];
}
interface Job {
  apiVersion: string;
  kind: 'Job';
  metadata: { name: string };
  spec: {
    completionMode?: string;
    completions?: number;
    parallelism?: number;
    podFailurePolicy?: { rules: { action: string; onExitCodes?: { containerName?: string; values: number[] } }[] };
    template: { spec: PodSpec };
  };
}
interface Claim {
  apiVersion: string;
  kind: 'PersistentVolumeClaim';
  metadata: { name: string };
  spec: { accessModes: string[] };
}

const load = (file: string): unknown[] => loadAll(readFileSync(join(EXAMPLES, file), 'utf8'));
const ofKind = <T extends { kind: string }>(docs: unknown[], kind: T['kind']): T[] => docs.filter((d): d is T => (d as { kind?: string }).kind === kind);

const indexed = load('indexed-job.yaml');
const [claim] = ofKind<Claim>(indexed, 'PersistentVolumeClaim');
const [ocrJob] = ofKind<Job>(indexed, 'Job');
const [mergeJob] = ofKind<Job>(load('merge-job.yaml'), 'Job');
const containerOf = (job: Job | undefined): Container => job!.spec.template.spec.containers[0]!;

describe('examples/kubernetes: the Indexed Job and its merge', () => {
  it('validates against the Kubernetes API schemas (batch/v1 Job, v1 PersistentVolumeClaim)', () => {
    const all = [...indexed, ...load('merge-job.yaml')] as { kind: string }[];
    expect(all.map((d) => d.kind).sort()).toEqual(['Job', 'Job', 'PersistentVolumeClaim']);
    for (const doc of all) {
      const model = doc.kind === 'Job' ? new JobModel(doc as never) : new ClaimModel(doc as never);
      expect(() => model.validate(), doc.kind).not.toThrow();
    }
    // The schema check can fail: a Job whose completions is not a number is refused.
    const broken = structuredClone(ofKind<Job>(indexed, 'Job')[0]!) as unknown as { spec: { completions: unknown } };
    broken.spec.completions = 'four';
    expect(() => new JobModel(broken as never).validate()).toThrow();
  });

  it('is a shared ReadWriteMany claim and an Indexed batch/v1 Job whose N pods run --shard k/N', () => {
    expect(indexed).toHaveLength(2);
    expect(claim).toMatchObject({ apiVersion: 'v1', spec: { accessModes: ['ReadWriteMany'] } });
    const job = ocrJob!;
    expect(job.apiVersion).toBe('batch/v1');
    expect(job.spec.completionMode).toBe('Indexed');
    const n = job.spec.completions!;
    expect(n).toBeGreaterThan(1);
    expect(job.spec.parallelism).toBe(n);
    const command = containerOf(job).args!.join(' ');
    expect(command).toContain(`--shard "$((JOB_COMPLETION_INDEX + 1))/${n}"`);
    expect(command).toContain('--out "/data/out/part-$((JOB_COMPLETION_INDEX + 1)).jsonl"');
    expect(command).toContain(`--rate "$((RATE_PER_MINUTE / ${n}))"`);
  });

  it('takes the key from a Secret, never from the file, and runs non-root on a read-only root filesystem', () => {
    for (const [job, needsKey] of [
      [ocrJob!, true],
      [mergeJob!, false],
    ] as const) {
      const pod = job.spec.template.spec;
      const container = containerOf(job);
      expect(pod.restartPolicy).toBe('Never');
      expect(pod.securityContext?.runAsNonRoot).toBe(true);
      expect(pod.securityContext?.runAsUser).toBeGreaterThan(0);
      expect(container.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
      expect(container.resources?.requests).toHaveProperty('cpu');
      expect(container.resources?.limits).toHaveProperty('memory');
      const key = container.env?.find((e) => e.name === 'FINOS_API_KEY');
      if (needsKey) expect(key).toEqual({ name: 'FINOS_API_KEY', valueFrom: { secretKeyRef: { name: 'finos-ekyc', key: 'api-key' } } });
      else expect(key).toBeUndefined();
      // Every mount is a declared volume, and the data volume is the claim.
      const volumes = new Map((pod.volumes ?? []).map((v) => [v.name, v]));
      for (const m of container.volumeMounts ?? []) expect(volumes.has(m.name), m.name).toBe(true);
      expect(volumes.get('data')?.persistentVolumeClaim?.claimName).toBe(claim!.metadata.name);
    }
    expect(mergeJob!.spec.template.spec.containers[0]!.image).toBe(containerOf(ocrJob).image);
    const failJob = ocrJob!.spec.podFailurePolicy!.rules.find((r) => r.action === 'FailJob')!;
    expect(failJob.onExitCodes).toEqual({ containerName: containerOf(ocrJob).name, operator: 'In', values: [2, 3] });
  });

  describe('run as the pods would: the same shell commands, the built CLI, the simulator in place of the API', () => {
    const KEY = 'k8s-example-key-0123456789';
    const sim = useSimulator({ apiKey: KEY });
    const root = mkdtempSync(join(tmpdir(), 'finos-k8s-'));
    const bin = join(root, 'bin');
    mkdirSync(bin);
    symlinkSync(join(ROOT, 'bin', 'finos-ekyc.js'), join(bin, 'finos-ekyc'));
    const inputs = Array.from({ length: 12 }, (_, i) => join(root, 'data', 'in', `branch-${i % 3}`, `card-${i}.png`));
    for (const [i, file] of inputs.entries()) {
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, makePng({ width: 200, height: 120, seed: i + 1, marker: 'doc=cccd_chip_front' }));
    }

    /** A container's shell command with its volume mounted at `root/data`, its env as the pod gets it. */
    const runPod = (job: Job, env: NodeJS.ProcessEnv) => {
      const container = containerOf(job);
      const mount = container.volumeMounts!.find((m) => m.name === 'data')!;
      const [shell, ...flags] = container.command;
      const args = container.args!.map((a) => a.replaceAll(mount.mountPath, join(root, 'data')));
      const podEnv = Object.fromEntries((container.env ?? []).flatMap((e) => (e.value === undefined ? [] : [[e.name, e.value]])));
      return promisify(execFile)(shell!, [...flags, ...args], {
        env: { ...podEnv, PATH: [bin, dirname(process.execPath), '/usr/bin', '/bin'].join(':'), HOME: root, FINOS_CONFIG_DIR: join(root, 'config'), ...env },
      });
    };

    it('the N pods answer every input exactly once between them, and the merge joins their files', async () => {
      const job = ocrJob!;
      const n = job.spec.completions!;
      // Kubernetes sets JOB_COMPLETION_INDEX and the key from the Secret; the host is pointed at the simulator.
      const env = { FINOS_API_KEY: KEY, FINOS_HOST: sim().url };
      await Promise.all(Array.from({ length: n }, (_, index) => runPod(job, { ...env, JOB_COMPLETION_INDEX: String(index) })));
      const out = join(root, 'data', 'out');
      expect(readdirSync(out).sort()).toEqual(Array.from({ length: n }, (_, i) => `part-${i + 1}.jsonl`).sort());
      const filesIn = (name: string) =>
        readFileSync(join(out, name), 'utf8')
          .split('\n')
          .filter(Boolean)
          .map((line) => (JSON.parse(line) as { file: string; ok: boolean }).file);
      const answered = readdirSync(out).flatMap(filesIn);
      expect(answered.sort()).toEqual([...inputs].sort());
      expect(sim().requests).toHaveLength(inputs.length);

      await runPod(mergeJob!, {});
      expect(filesIn('all.jsonl').sort()).toEqual([...inputs].sort());
    }, 60_000);
  });
});
