import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..');

/** What `npm pack` would put in the tarball (`npm test` builds dist/ first; --ignore-scripts: no second build here). */
function packedFiles(): string[] {
  const r = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  expect(r.status, r.stderr).toBe(0);
  const [pack] = JSON.parse(r.stdout) as { files: { path: string }[] }[];
  return pack!.files.map((f) => f.path).sort();
}

describe('the package npm would publish', () => {
  const files = packedFiles();

  it('ships the launcher, the build, the README and the licence, and nothing else', () => {
    const unexpected = files.filter((f) => !/^(bin|dist)\//.test(f) && !['README.md', 'LICENSE', 'package.json'].includes(f));
    expect(unexpected).toEqual([]);
    expect(files.filter((f) => f.endsWith('.map'))).toEqual([]);
    for (const needed of ['LICENSE', 'README.md', 'package.json', 'bin/finos-ekyc.js', 'bin/package.json', 'dist/index.js', 'dist/index.d.ts', 'dist/bundle/main.js', 'dist/cli/help.txt']) {
      expect(files, needed).toContain(needed);
    }
  });

  it('is the licence package.json names', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { license: string };
    expect(pkg.license).toBe('MIT');
    expect(readFileSync(join(ROOT, 'LICENSE'), 'utf8')).toMatch(/^MIT License\n\nCopyright \(c\) \d{4} finos-ekyc contributors\n/);
  });
});
