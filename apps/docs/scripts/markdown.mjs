// Helpers for writing generated markdown that VitePress compiles as a Vue template.

/**
 * Escapes text for a markdown table cell or paragraph: markdown punctuation gets a
 * backslash, and <, >, {, } become HTML entities, so that neither markdown nor Vue's
 * template compiler (which reads "<tag" and "{{ }}") interprets them.
 */
export function escapeMarkdownText(text) {
  return String(text)
    .replace(/[\\`*_[\]|#]/g, (character) => `\\${character}`)
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\{/g, '&#123;')
    .replace(/\}/g, '&#125;');
}

/** Renders a markdown table. Cells are escaped with `escapeMarkdownText` unless `raw` is set. */
export function markdownTable(header, rows, { raw = false, align = [] } = {}) {
  const cell = (value) => (raw ? String(value) : escapeMarkdownText(value)).replace(/\n/g, ' ');
  const rule = header.map((_, c) => (align[c] === 'right' ? '---:' : '---'));
  return [
    `| ${header.map(cell).join(' | ')} |`,
    `| ${rule.join(' | ')} |`,
    ...rows.map((row) => `| ${row.map(cell).join(' | ')} |`),
  ].join('\n');
}

/** Returns `text` as a fenced code block. The fence is longer than any backtick run inside `text`. */
export function codeBlock(text, language = 'sh') {
  const longest = Math.max(2, ...(String(text).match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}${language}\n${String(text).replace(/\s+$/, '')}\n${fence}`;
}
