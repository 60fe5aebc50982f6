import type { Command } from 'commander';
import type { CallOptions } from '../../api/client.js';
import type { ImageInput } from '../../api/image.js';
import { InvalidArgumentError } from '../../api/errors.js';
import type { Session } from '../session.js';
import { flagsOf, type CommandContext } from '../context.js';
import { addBatchOptions, type BatchFlags } from './batch-options.js';
import { runtime } from './runtime.js';

interface IndexFlags extends BatchFlags {
  numberId?: string;
  partition: string;
  manifest?: string;
}

const SHOW_URLS = 'print the presigned face URLs (they open a citizen\u2019s photo)';

export function registerRecognition(program: Command, ctx: CommandContext): void {
  addBatchOptions(
    program
      .command('index')
      .description('add a face to a partition, under a customer id (never re-sent after a failure that may have indexed it)')
      .argument('[image]', 'face image')
      .option('--number-id <id>', 'the customer\u2019s id: unique in the partition')
      .requiredOption('--partition <name>', 'the collection to add the face to')
      .option('--manifest <csv>', 'index many faces: a CSV with columns image,numberId')
      .option('--show-urls', SHOW_URLS),
  ).action((image: string | undefined, _o, cmd: Command) =>
    ctx.run(async () => {
      const f = flagsOf<IndexFlags & { showUrls?: boolean }>(cmd);
      const r = await runtime();
      const index = (s: Session, image: ImageInput, numberId: string, o: CallOptions) => s.client.recognition.index(image, { ...o, numberId, partition: f.partition });
      if (f.manifest) {
        if (image || f.numberId) throw new InvalidArgumentError('give either --manifest or an image with --number-id, not both');
        const spec = { title: 'index', presenter: r.indexPresenter, showUrls: Boolean(f.showUrls) };
        return r.execute(r.manifestPlan(f.manifest, 'index', f, spec, (s, row, [face], o) => index(s, face!, row.numberId, o)), f, ctx.io);
      }
      if (!image || !f.numberId) throw new InvalidArgumentError('give an image and --number-id <id>, or --manifest <csv>');
      const numberId = f.numberId;
      return r.execute(r.singleCall('index', r.indexPresenter, { file: image, files: [image], call: (s, o) => index(s, image, numberId, o) }, { showUrls: Boolean(f.showUrls) }), f, ctx.io);
    }),
  );

  program
    .command('search')
    .description('find the indexed faces most like this one in a partition')
    .argument('<image>', 'face image')
    .requiredOption('--partition <name>', 'the collection to search')
    .option('--show-urls', SHOW_URLS)
    .action((image: string, _o, cmd: Command) =>
      ctx.run(async () => {
        const f = flagsOf<{ partition: string; showUrls?: boolean }>(cmd);
        const r = await runtime();
        return r.execute(
          r.singleCall('search', r.searchPresenter, { file: image, files: [image], call: (s, o) => s.client.recognition.search(image, { ...o, partition: f.partition }) }, { showUrls: Boolean(f.showUrls) }),
          f,
          ctx.io,
        );
      }),
    );

  program
    .command('history')
    .description('look up earlier calls by their requestId')
    .argument('<requestId...>', 'one or more requestIds (from any command\u2019s output)')
    .option('--show-urls', 'print the presigned image URLs (they open a citizen\u2019s photos)')
    .action((ids: string[], _o, cmd: Command) =>
      ctx.run(async () => {
        const f = flagsOf<{ showUrls?: boolean }>(cmd);
        const r = await runtime();
        const file = ids.join(',');
        return r.execute(
          r.singleCall('history', r.historyPresenter, { file, files: [], call: (s, o) => s.client.transactions.history(ids, o) }, { showUrls: Boolean(f.showUrls) }),
          f,
          ctx.io,
        );
      }),
    );
}
