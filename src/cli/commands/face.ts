import type { Command } from 'commander';
import type { CallOptions } from '../../api/client.js';
import type { ImageInput } from '../../api/image.js';
import { InvalidArgumentError } from '../../api/errors.js';
import type { Session } from '../session.js';
import { parseWholeNumber } from '../globals.js';
import { flagsOf, type CommandContext } from '../context.js';
import { addBatchOptions, type BatchFlags } from './batch-options.js';
import { runtime } from './runtime.js';

interface CompareFlags extends BatchFlags {
  id?: string;
  threshold?: number;
  fraudCheckLiveness?: boolean;
  manifest?: string;
}

export function registerFace(program: Command, ctx: CommandContext): void {
  const face = program.command('face').description('compare faces and check liveness');

  addBatchOptions(
    face
      .command('compare')
      .description('compare two selfies, or a selfie with the portrait on an ID card (--id)')
      .argument('[images...]', 'two selfies; or one selfie with --id')
      .option('--id <card>', 'ID card image to compare the selfie with')
      .option('--threshold <n>', 'score (1–99) from which the API answers match', parseWholeNumber('--threshold', 1, 99))
      .option('--fraud-check-liveness', 'with --id: require an earlier liveness check of this selfie under the same --transaction-id')
      .option('--manifest <csv>', 'compare many pairs: a CSV with columns image1,image2 or selfie,id'),
  ).action((images: string[], _o, cmd: Command) =>
    ctx.run(async () => {
      const f = flagsOf<CompareFlags>(cmd);
      const r = await runtime();
      const compare = (s: Session, a: ImageInput, b: ImageInput, withId: boolean, o: CallOptions) => {
        const threshold = f.threshold ?? s.threshold;
        const common = { ...o, ...(threshold ? { threshold } : {}) };
        return withId ? s.client.face.compareWithId(a, b, { ...common, fraudCheckLiveness: f.fraudCheckLiveness }) : s.client.face.compare(a, b, common);
      };
      if (f.manifest) {
        if (images.length) throw new InvalidArgumentError('give either --manifest or images, not both');
        const spec = { title: 'face compare', presenter: r.comparePresenter, ...(f.threshold ? { threshold: f.threshold } : {}) };
        return r.execute(
          r.manifestPlan(f.manifest, 'pair', f, spec, (s, row, [a, b], o) => compare(s, a!, b!, row.mode === 'selfie-id', o)),
          f,
          ctx.io,
        );
      }
      const expected = f.id ? 1 : 2;
      if (images.length !== expected) {
        throw new InvalidArgumentError(f.id ? 'with --id, give exactly one selfie' : 'give two selfies, a selfie with --id <card>, or --manifest <csv>');
      }
      if (f.fraudCheckLiveness && !f.id) throw new InvalidArgumentError('--fraud-check-liveness goes with --id');
      const [a, b] = f.id ? [images[0] as string, f.id] : (images as [string, string]);
      return r.execute(
        r.singleCall('face compare', r.comparePresenter, { file: a, files: [a, b], call: (s, o) => compare(s, a, b, Boolean(f.id), o) }, f.threshold ? { threshold: f.threshold } : {}),
        f,
        ctx.io,
      );
    }),
  );

  addBatchOptions(
    face.command('liveness').description('passive liveness check of a selfie').argument('<image...>', 'selfies, folders of selfies, or - (paths on stdin)'),
  ).action((images: string[], _o, cmd: Command) =>
    ctx.run(async () => {
      const f = flagsOf<BatchFlags>(cmd);
      const r = await runtime();
      const plan = await r.imagePlan(images, f, ctx.io, 'face liveness', r.livenessPresenter, (s, image, o) => s.client.face.liveness(image, o));
      return r.execute(plan, f, ctx.io);
    }),
  );
}
