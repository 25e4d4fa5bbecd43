// Tests of the README example harness: block extraction, markers, value comments and the
// report of a failing block.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { declaredExports, extractBlocks, parseExpectedValue, runReadme } from '../lib/readme-examples.mjs';
import { listWorkspacePackages } from '../lib/workspace.mjs';

const fence = '```';
const packagesByName = new Map(listWorkspacePackages().map((pkg) => [pkg.name, pkg]));

describe('extractBlocks', () => {
  it('reads markers and hidden setup blocks', () => {
    const markdown = [
      '# title',
      `${fence}sh`,
      'echo shell blocks are ignored',
      fence,
      '<!-- setup',
      `${fence}ts`,
      'const hidden = 1;',
      fence,
      '-->',
      '<!-- no-run -->',
      '',
      `${fence}ts`,
      'illustration();',
      fence,
      '<!-- requires: ../data -->',
      `${fence}typescript`,
      'load();',
      fence,
    ].join('\n');
    expect(extractBlocks(markdown)).toEqual([
      { line: 6, code: 'const hidden = 1;', hidden: true, skip: false },
      { line: 12, code: 'illustration();', hidden: false, skip: true },
      { line: 16, code: 'load();', hidden: false, skip: false, requires: '../data' },
    ]);
  });

  it('drops a marker separated by prose', () => {
    const markdown = ['<!-- no-run -->', 'Some prose.', `${fence}ts`, 'run();', fence].join('\n');
    expect(extractBlocks(markdown)).toEqual([{ line: 3, code: 'run();', hidden: false, skip: false }]);
  });
});

describe('parseExpectedValue', () => {
  it('parses numbers with their printed digits', () => {
    expect(parseExpectedValue('0.5')).toEqual({ approximate: false, value: 0.5, decimals: 1 });
    expect(parseExpectedValue('1 = σ/2')).toEqual({ approximate: false, value: 1, decimals: 0 });
    expect(parseExpectedValue('≈ 5e200, where the sum overflows')).toEqual({ approximate: true, value: 5e200, decimals: 0 });
  });

  it('parses lists, strings and literals', () => {
    expect(parseExpectedValue('Float64Array [7, 10.5]')).toEqual({ approximate: false, value: [7, 10.5], decimals: [0, 1] });
    expect(parseExpectedValue("['a.dat', 'b.dat']").value).toEqual(['a.dat', 'b.dat']);
    expect(parseExpectedValue("'gradient-tolerance'").value).toBe('gradient-tolerance');
    expect(parseExpectedValue('true').value).toBe(true);
  });

  it('leaves prose alone', () => {
    expect(parseExpectedValue('about 0.06')).toBeUndefined();
    expect(parseExpectedValue('100×10')).toBeUndefined();
    expect(parseExpectedValue('[{ iteration: 0, loss }, …]')).toBeUndefined();
    expect(parseExpectedValue('iteration whose parameters were returned')).toBeUndefined();
  });
});

describe('declaredExports', () => {
  it('lists values and types of a bundled declaration file', () => {
    const declarations = 'interface A {}\ndeclare function f(): void;\nexport { type A, f, g as h };\nexport declare const c: number;\n';
    expect(declaredExports(declarations)).toEqual(['A', 'c', 'f', 'h']);
  });
});

describe('runReadme', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nimc-readme-harness-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function writeReadme(name, lines) {
    const path = join(dir, name);
    writeFileSync(path, lines.join('\n'));
    return path;
  }

  it('passes true value comments across blocks', async () => {
    const path = writeReadme('good.md', [
      `${fence}ts`,
      "import { matrixFromRows, multiply } from '@nimc/linalg';",
      '',
      'const a = matrixFromRows([[1, 2], [3, 4]]);',
      'multiply(a, a).data; // Float64Array [7, 10, 15, 22]',
      fence,
      '',
      `${fence}ts`,
      "import { getActivation } from '@nimc/activations';",
      '',
      'const a = matrixFromRows([[2]]);',
      'a.data[0]; // 2',
      "getActivation('softplus'); // RangeError: unknown activation",
      fence,
    ]);
    const results = await runReadme(path, packagesByName);
    expect(results.map((result) => result.status)).toEqual(['passed', 'passed']);
  });

  it('fails a block whose stated value is wrong', async () => {
    const path = writeReadme('wrong.md', [
      `${fence}ts`,
      "import { matrixFromRows, multiply } from '@nimc/linalg';",
      '',
      'const a = matrixFromRows([[1, 2], [3, 4]]);',
      'multiply(a, a).data; // [7, 10, 15, 23]',
      fence,
      `${fence}ts`,
      'a.rows; // 2',
      fence,
    ]);
    const [first, second] = await runReadme(path, packagesByName);
    expect(first.status).toBe('failed');
    expect(first.message).toContain('the README states [7,10,15,23], the code returns Float64Array [7, 10, 15, 22]');
    expect(second.status).toBe('not-run');
    expect(second.message).toBe('not run because the block at line 1 failed');
  });

  it('fails a block that throws the wrong error', async () => {
    const path = writeReadme('throw.md', [
      `${fence}ts`,
      "import { getActivation } from '@nimc/activations';",
      "getActivation('relu'); // RangeError: unknown activation",
      fence,
    ]);
    const [result] = await runReadme(path, packagesByName);
    expect(result.status).toBe('failed');
    expect(result.message).toContain('but nothing was thrown');
  });

  it('skips no-run blocks and blocks whose data is absent', async () => {
    const path = writeReadme('skip.md', [
      '<!-- no-run -->',
      `${fence}ts`,
      "throw new Error('no-run block ran');",
      fence,
      '<!-- requires: ../no-such-folder-for-readme-tests -->',
      `${fence}ts`,
      "throw new Error('requires block ran');",
      fence,
    ]);
    const results = await runReadme(path, packagesByName);
    expect(results.map((result) => [result.status, result.message])).toEqual([
      ['skipped', 'marked no-run'],
      ['skipped', '../no-such-folder-for-readme-tests is absent'],
    ]);
  });
});
