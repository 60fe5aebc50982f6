import type { Command } from 'commander';
import { flagsOf, type CommandContext } from '../context.js';
import { addBatchOptions, type BatchFlags } from './batch-options.js';
import { runtime } from './runtime.js';

interface IdFlags extends BatchFlags {
  addressSplit?: boolean;
  qualityCheck?: boolean;
  fraudCheck?: boolean;
  faceCheck?: boolean;
  forgeryCheck?: boolean;
}

const INPUTS = 'image files, folders (walked recursively, images only) or - (paths on stdin)';

export function registerOcr(program: Command, ctx: CommandContext): void {
  const ocr = program.command('ocr').description('read a document (OCR): national ID, driver licence, passport, motorbike registration');

  addBatchOptions(
    ocr
      .command('id')
      .description('read a Vietnamese national ID card (CMND / CCCD), front or back')
      .argument('<image...>', INPUTS)
      .option('--address-split', 'split permanentAddress into province, district, ward, street')
      .option('--quality-check', 'check blur, glare, cut corners, photocopies, screen captures')
      .option('--fraud-check', 'ask for fraud checks')
      .option('--face-check', 'check that the portrait on the card is visible')
      .option('--forgery-check', 'ask for tamper checks'),
  ).action((images: string[], _o, cmd: Command) =>
    ctx.run(async () => {
      const f = flagsOf<IdFlags>(cmd);
      const r = await runtime();
      const { NATIONAL_ID_COLUMNS } = await import('../../ui/records.js');
      const options = {
        addressSplit: f.addressSplit,
        qualityCheck: f.qualityCheck,
        fraudCheck: f.fraudCheck,
        faceCheck: f.faceCheck,
        forgeryCheck: f.forgeryCheck,
      };
      const plan = await r.imagePlan(images, f, ctx.io, 'ocr id', r.ocrPresenter(NATIONAL_ID_COLUMNS), (s, image, o) =>
        s.client.ocr.nationalId(image, { ...options, ...o }),
      );
      return r.execute(plan, f, ctx.io);
    }),
  );

  for (const [name, description, method] of [
    ['dl', 'read a Vietnamese driver licence', 'driverLicense'],
    ['passport', 'read a Vietnamese passport', 'passport'],
  ] as const) {
    addBatchOptions(ocr.command(name).description(description).argument('<image...>', INPUTS)).action((images: string[], _o, cmd: Command) =>
      ctx.run(async () => {
        const f = flagsOf<BatchFlags>(cmd);
        const r = await runtime();
        const plan = await r.imagePlan(images, f, ctx.io, `ocr ${name}`, r.ocrPresenter(), (s, image, o) => s.client.ocr[method](image, o));
        return r.execute(plan, f, ctx.io);
      }),
    );
  }

  ocr
    .command('mrc')
    .description('read a motorbike registration certificate (one side, or both)')
    .argument('<image1>', 'first side')
    .argument('[image2]', 'second side')
    .action((image1: string, image2: string | undefined, _o, cmd: Command) =>
      ctx.run(async () => {
        const f = flagsOf<BatchFlags>(cmd);
        const r = await runtime();
        const files = image2 === undefined ? [image1] : [image1, image2];
        return r.execute(
          r.singleCall('ocr mrc', r.ocrPresenter(), { file: image1, files, call: (s, o) => s.client.ocr.mrc(image1, image2, o) }),
          f,
          ctx.io,
        );
      }),
    );
}
