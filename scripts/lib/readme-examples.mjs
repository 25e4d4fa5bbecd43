// Extracts the TypeScript examples of a README and runs them against the built packages.
//
// Every ```ts (or ```typescript) block of a README runs, in order, as one ES module in a
// child `node` process whose working directory is the repository root, so a later block
// may use what an earlier one defined, as a reader would. A block is left out or changed
// by an HTML comment on the line before it (blank lines between are allowed):
//   <!-- no-run -->                  the block is illustrative only and never runs
//   <!-- requires: some/path -->     the block runs only when that path, relative to the
//                                    repository root, exists (for data that is not shipped)
// A ```ts block inside an HTML comment that starts with `<!-- setup` runs too but stays
// hidden from readers: it defines what the visible examples take as given.
//
// A top-level statement line `expression; // value` asserts the value. The value is a number
// (rounded to the digits shown), `≈ number` (within 1e-3 relative), a list of numbers or
// quoted strings, a quoted string, true, false, null or undefined. A typed-array name may
// come first (`// Float64Array [1, 2]`), and text after the value is ignored.
// `expression; // RangeError: message` asserts that the expression throws that error with a
// message that contains the text. Any other comment is prose.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { transform } from 'esbuild';
import { repositoryRoot } from './workspace.mjs';

const fencePattern = /^```(ts|typescript)\s*$/;
const markerPattern = /^<!--\s*(no-run|requires:\s*(\S+))\s*-->\s*$/;

/**
 * Returns the TypeScript blocks of a README as { line, code, hidden, skip, requires }, where
 * `line` is the 1-based line of the opening fence.
 */
export function extractBlocks(markdown) {
  const lines = markdown.split('\n');
  const blocks = [];
  let inSetupComment = false;
  let pendingMarker;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (!inSetupComment && /^<!--\s*setup\b/.test(line)) {
      inSetupComment = !line.includes('-->');
      continue;
    }
    if (inSetupComment && line.includes('-->') && !fencePattern.test(line)) {
      inSetupComment = false;
      continue;
    }
    const marker = markerPattern.exec(line.trim());
    if (marker !== null) {
      pendingMarker = marker[1] === 'no-run' ? { skip: true } : { requires: marker[2] };
      continue;
    }
    if (fencePattern.test(line)) {
      const start = i;
      const code = [];
      for (i++; i < lines.length && !/^```\s*$/.test(lines[i]); i++) code.push(lines[i]);
      if (i >= lines.length) throw new Error(`unclosed code block at line ${start + 1}`);
      blocks.push({ line: start + 1, code: code.join('\n'), hidden: inSetupComment, skip: false, ...pendingMarker });
      pendingMarker = undefined;
      continue;
    }
    if (line.trim() !== '') pendingMarker = undefined;
  }
  return blocks;
}

/** Splits an import clause (`a, { b, type C, d as e }` or `* as ns`) into its bindings. */
function parseImportClause(clause) {
  const bindings = { defaultName: undefined, namespace: undefined, named: [] };
  const braces = /\{([\s\S]*)\}/.exec(clause);
  const outside = clause.replace(/\{[\s\S]*\}/, '').replace(/,\s*$/, '').replace(/^\s*,/, '').trim();
  if (braces !== null) {
    for (const part of braces[1].split(',')) {
      const specifier = part.trim();
      if (specifier !== '') bindings.named.push(specifier);
    }
  }
  for (const part of outside.split(',').map((text) => text.trim()).filter(Boolean)) {
    const namespace = /^\*\s+as\s+(\w+)$/.exec(part);
    if (namespace !== null) bindings.namespace = namespace[1];
    else bindings.defaultName = part;
  }
  return bindings;
}

/** Removes the import statements of a block and records them in `imports` (module → bindings). */
function takeImports(code, imports) {
  const pattern = /^import\s+(type\s+)?([\s\S]*?)\s+from\s+['"]([^'"]+)['"];?[ \t]*$/gm;
  return code.replace(pattern, (_statement, typeOnly, clause, source) => {
    const entry = imports.get(source) ?? { defaultName: undefined, namespace: undefined, named: new Set() };
    const bindings = parseImportClause(clause);
    for (const specifier of bindings.named) {
      entry.named.add(typeOnly !== undefined && !specifier.startsWith('type ') ? `type ${specifier}` : specifier);
    }
    entry.defaultName ??= bindings.defaultName;
    entry.namespace ??= bindings.namespace;
    imports.set(source, entry);
    return '';
  });
}

/** Returns the index of the first `=` at bracket depth 0 that is an assignment, or -1. */
function topLevelAssignment(expression) {
  let depth = 0;
  let quote;
  for (let i = 0; i < expression.length; i++) {
    const char = expression[i];
    if (quote !== undefined) {
      if (char === '\\') i++;
      else if (char === quote) quote = undefined;
      continue;
    }
    if (char === "'" || char === '"' || char === '`') quote = char;
    else if ('([{'.includes(char)) depth++;
    else if (')]}'.includes(char)) depth--;
    else if (char === '=' && depth === 0) {
      const before = expression[i - 1] ?? '';
      const after = expression[i + 1] ?? '';
      if (after === '=' || after === '>' || '=!<>'.includes(before)) continue;
      return i;
    }
  }
  return -1;
}

/** Parses the value at the start of a comment, or returns undefined when it names none. */
export function parseExpectedValue(comment) {
  let text = comment.trim();
  let approximate = false;
  if (text.startsWith('≈')) {
    approximate = true;
    text = text.slice(1).trim();
  }
  text = text.replace(/^(Float64Array|Float32Array|Int32Array|Uint8Array)\s+/, '');
  const ends = (rest) => rest === '' || /^[\s,;.]/.test(rest);

  const number = /^-?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?/i.exec(text);
  if (number !== null && ends(text.slice(number[0].length))) {
    return { approximate, value: Number(number[0]), decimals: decimalsOf(number[0]) };
  }

  for (const literal of ['true', 'false', 'null', 'undefined']) {
    if (text.startsWith(literal) && ends(text.slice(literal.length))) {
      return { approximate: false, value: literal === 'undefined' ? undefined : JSON.parse(literal) };
    }
  }
  const quoted = /^'([^'\\]*)'/.exec(text);
  if (quoted !== null && ends(text.slice(quoted[0].length))) return { approximate: false, value: quoted[1] };

  if (text.startsWith('[')) {
    const close = text.indexOf(']');
    if (close === -1 || !ends(text.slice(close + 1))) return undefined;
    const body = text.slice(0, close + 1);
    try {
      const value = JSON.parse(body.replace(/'([^'\\]*)'/g, (_match, inner) => JSON.stringify(inner)));
      if (!value.every((item) => typeof item === 'number' || typeof item === 'string')) return undefined;
      const decimals = body.slice(1, -1).split(',').map((item) => decimalsOf(item.trim()));
      return { approximate, value, decimals };
    } catch {
      return undefined;
    }
  }
  return undefined;
}

function decimalsOf(numberText) {
  const match = /^-?\d*\.(\d+)(e[+-]?\d+)?$/i.exec(numberText);
  if (match === null) return 0;
  const exponent = match[2] === undefined ? 0 : Number(match[2].slice(1));
  return match[1].length - exponent;
}

/**
 * Rewrites the top-level lines `expression; // value` and `expression; // SomeError: text`
 * of a block into checks. `location` names the README line of each check in its message.
 */
function insertChecks(code, readmePath, firstLine) {
  return code
    .split('\n')
    .map((line, index) => {
      const match = /^([^\s/][^;]*);\s*\/\/\s*(.+)$/.exec(line);
      if (match === null) return line;
      const [, expression, comment] = match;
      if (/^(const|let|var|import|export|return|if|for|while|throw|function|class|type|interface)\b/.test(expression)) return line;
      if (topLevelAssignment(expression) !== -1) return line;
      const location = JSON.stringify(`${readmePath}:${firstLine + 1 + index}`);
      const asynchronous = /\bawait\b/.test(expression);
      const thunk = asynchronous ? `async () => (${expression})` : `() => (${expression})`;
      const thrown = /^([A-Z]\w*Error):\s*(.+)$/.exec(comment.trim());
      if (thrown !== null) {
        return `await __readme.expectThrow(${thunk}, ${JSON.stringify(thrown[1])}, ${JSON.stringify(thrown[2])}, ${location});`;
      }
      const expected = parseExpectedValue(comment);
      if (expected === undefined) return line;
      const serialized = JSON.stringify({ ...expected, value: expected.value === undefined ? '__undefined__' : expected.value });
      const text = JSON.stringify(expression);
      return `await __readme.expectValue(${thunk}, ${serialized}, ${text}, ${location});`;
    })
    .join('\n');
}

const runtimeHelpers = `
const __readme = {
  done(index) {
    process.stdout.write('\\n@@readme-block-done ' + index + '\\n');
  },
  fail(location, message) {
    throw new Error(location + ': ' + message);
  },
  close(actual, expected, approximate, decimals) {
    if (typeof expected !== 'number') return actual === expected;
    if (typeof actual !== 'number') return false;
    const tolerance = approximate
      ? 1e-3 * Math.max(1, Math.abs(expected))
      : decimals > 0 ? 0.5 * 10 ** -decimals * (1 + 1e-9) : 1e-9 * Math.max(1, Math.abs(expected));
    return Math.abs(actual - expected) <= tolerance;
  },
  async expectValue(thunk, spec, text, location) {
    let actual = thunk();
    if (actual instanceof Promise) actual = await actual;
    const expected = spec.value === '__undefined__' ? undefined : spec.value;
    const show = (value) => (ArrayBuffer.isView(value) ? value.constructor.name + ' [' + Array.from(value).join(', ') + ']' : JSON.stringify(value));
    if (Array.isArray(expected)) {
      const list = ArrayBuffer.isView(actual) || Array.isArray(actual) ? Array.from(actual) : undefined;
      const same = list !== undefined && list.length === expected.length &&
        expected.every((item, i) => this.close(list[i], item, spec.approximate, spec.decimals[i]));
      if (!same) this.fail(location, text + ': the README states ' + JSON.stringify(expected) + ', the code returns ' + show(actual));
      return;
    }
    if (!this.close(actual, expected, spec.approximate, spec.decimals ?? 0)) {
      this.fail(location, text + ': the README states ' + JSON.stringify(expected) + ', the code returns ' + show(actual));
    }
  },
  async expectThrow(thunk, name, message, location) {
    try {
      const result = thunk();
      if (result instanceof Promise) await result;
    } catch (error) {
      if (error?.name !== name || !String(error.message).includes(message)) {
        this.fail(location, 'expected ' + name + ' containing "' + message + '", received ' + error?.name + ': ' + error?.message);
      }
      return;
    }
    this.fail(location, 'expected ' + name + ' containing "' + message + '", but nothing was thrown');
  },
};
`;

/** Returns the file URL that `import '<specifier>'` loads for a workspace package, or undefined. */
function resolveWorkspaceImport(specifier, packagesByName) {
  const match = /^(@[^/]+\/[^/]+|[^@/][^/]*)(\/.*)?$/.exec(specifier);
  if (match === null) return undefined;
  const pkg = packagesByName.get(match[1]);
  if (pkg === undefined) return undefined;
  const subpath = match[2] === undefined ? '.' : `.${match[2]}`;
  const entry = pkg.manifest.exports?.[subpath];
  const target = typeof entry === 'string' ? entry : entry?.import?.default ?? entry?.import ?? entry?.default;
  if (typeof target !== 'string') throw new Error(`${specifier}: ${pkg.name} exports no "${subpath}" entry for import`);
  const file = join(pkg.dir, target);
  if (!existsSync(file)) throw new Error(`${specifier}: ${file} is missing; run pnpm build first`);
  return pathToFileURL(file).href;
}

/**
 * Compiles the runnable blocks of one README into a single ES module and returns its source
 * and the list of blocks that it runs.
 */
export async function compileReadme(readmePath, blocks, packagesByName) {
  const imports = new Map();
  const bodies = [];
  const runnable = blocks.filter((block) => !block.skip && (block.requires === undefined || existsSync(join(repositoryRoot, block.requires))));
  runnable.forEach((block, index) => {
    let body = takeImports(block.code, imports);
    body = insertChecks(body, readmePath, block.line);
    // Blocks share one module scope and may reuse names, as a reader's REPL would allow.
    body = body.replace(/^(const|let)(\s)/gm, 'var$2');
    bodies.push(`// README line ${block.line}\n${body}\n__readme.done(${index});\n`);
  });
  const importLines = [];
  for (const [source, entry] of imports) {
    const resolved = resolveWorkspaceImport(source, packagesByName) ?? source;
    const parts = [];
    if (entry.defaultName !== undefined) parts.push(entry.defaultName);
    if (entry.namespace !== undefined) parts.push(`* as ${entry.namespace}`);
    if (entry.named.size > 0) parts.push(`{ ${[...entry.named].join(', ')} }`);
    if (parts.length > 0) importLines.push(`import ${parts.join(', ')} from ${JSON.stringify(resolved)};`);
  }
  const typescript = `${importLines.join('\n')}\n${runtimeHelpers}\n${bodies.join('\n')}`;
  const { code } = await transform(typescript, { loader: 'ts', format: 'esm', target: 'node20', sourcefile: readmePath });
  return { code, runnable };
}

/**
 * Runs the examples of a README and returns one result per block:
 * { line, status: 'passed' | 'failed' | 'skipped' | 'not-run', message }.
 */
export async function runReadme(readmePath, packagesByName, { timeoutMs = 180_000 } = {}) {
  const blocks = extractBlocks(readFileSync(resolve(repositoryRoot, readmePath), 'utf8'));
  const results = blocks.map((block) => {
    if (block.skip) return { line: block.line, hidden: block.hidden, status: 'skipped', message: 'marked no-run' };
    if (block.requires !== undefined && !existsSync(join(repositoryRoot, block.requires))) {
      return { line: block.line, hidden: block.hidden, status: 'skipped', message: `${block.requires} is absent` };
    }
    return { line: block.line, hidden: block.hidden, status: 'not-run', message: '' };
  });
  const { code, runnable } = await compileReadme(readmePath, blocks, packagesByName);
  if (runnable.length === 0) return results;

  const dir = mkdtempSync(join(tmpdir(), 'nimc-readme-'));
  const modulePath = join(dir, 'examples.mjs');
  writeFileSync(modulePath, code);
  try {
    const { stdout, stderr, exitCode, timedOut } = await runNode(modulePath, timeoutMs);
    const done = new Set([...stdout.matchAll(/@@readme-block-done (\d+)/g)].map((match) => Number(match[1])));
    const byLine = new Map(results.map((result) => [result.line, result]));
    let failedLine;
    runnable.forEach((block, index) => {
      const result = byLine.get(block.line);
      if (done.has(index)) {
        result.status = 'passed';
      } else if (failedLine === undefined) {
        failedLine = block.line;
        result.status = 'failed';
        const reason = timedOut ? `timed out after ${timeoutMs} ms` : `node exited with code ${exitCode}`;
        result.message = `${reason}\n${stderr.trim()}`;
      } else {
        result.message = `not run because the block at line ${failedLine} failed`;
      }
    });
    if (failedLine === undefined && exitCode !== 0) {
      const last = byLine.get(runnable[runnable.length - 1].line);
      last.status = 'failed';
      last.message = `node exited with code ${exitCode} after the last block\n${stderr.trim()}`;
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return results;
}

function runNode(modulePath, timeoutMs) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [modulePath], { cwd: repositoryRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (exitCode) => {
      clearTimeout(timer);
      resolve({ stdout, stderr, exitCode, timedOut });
    });
  });
}

/** Returns the names that a bundled declaration file exports (values and types). */
export function declaredExports(declarations) {
  const names = new Set();
  for (const match of declarations.matchAll(/^export\s*\{([^}]*)\}/gm)) {
    for (const part of match[1].split(',')) {
      const name = part.trim().replace(/^type\s+/, '').split(/\s+as\s+/).pop().trim();
      if (name !== '') names.add(name);
    }
  }
  for (const match of declarations.matchAll(/^export\s+(?:declare\s+)?(?:abstract\s+)?(?:function|const|let|class|interface|type|enum|namespace)\s+(\w+)/gm)) {
    names.add(match[1]);
  }
  return [...names].sort();
}
