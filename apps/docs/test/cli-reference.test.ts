import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { collectHelp, findCliBin, parseCommands, renderCliReference } from '../scripts/generate-cli-reference.mjs';

const helpText = `Usage: tool [options] [command]

Options:
  -h, --help           print help

Commands:
  train [options] <file>  Train a model on a file of
                          observed pairs.
  stats                   Print statistics.
  help [command]          display help for command

Exit status: 0 on success.
`;

describe('parseCommands', () => {
  it('reads names and joins wrapped descriptions', () => {
    expect(parseCommands(helpText)).toEqual([
      { name: 'train', summary: 'Train a model on a file of observed pairs.' },
      { name: 'stats', summary: 'Print statistics.' },
    ]);
  });

  it('returns no commands when the help has no Commands section', () => {
    expect(parseCommands('Usage: tool [options]\n\nOptions:\n  -h, --help  print help\n')).toEqual([]);
  });
});

describe('CLI reference of the built nimc', () => {
  const bin = findCliBin();
  const entries = collectHelp(bin);
  const page = renderCliReference(entries);

  it('covers every command that nimc --help lists', () => {
    const listed = parseCommands(execFileSync(process.execPath, [bin, '--help'], { encoding: 'utf8' })).map((command) => command.name);

    expect(listed.length).toBeGreaterThan(0);
    for (const name of listed) expect(page, `section for ${name}`).toContain(`## nimc ${name}\n`);
  });

  it('shows each help text verbatim', () => {
    const help = execFileSync(process.execPath, [bin, 'synthetic', '--help'], { encoding: 'utf8' });

    expect(page).toContain(help.trimEnd());
  });
});
