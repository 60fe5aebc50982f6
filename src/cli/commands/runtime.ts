/**
 * What a command needs once it actually runs, loaded in one step. Command files import only commander and this
 * loader, so building the program for `--help` never loads undici, zod, conf, ora or cli-table3.
 */
export async function runtime() {
  const [runner, plan, presenters] = await Promise.all([import('../runner.js'), import('./plans.js'), import('../presenters.js')]);
  return { ...runner, ...plan, ...presenters };
}
