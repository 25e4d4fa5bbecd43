// A small `--name value` parser for the benchmark scripts.

/**
 * Parses `--name value` pairs into an object. `defaults` lists every accepted name; a
 * value is converted to a number when its default is a number.
 */
export function parseOptions(argv, defaults) {
  const options = { ...defaults };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    if (flag === '--') continue;
    const name = flag.startsWith('--') ? flag.slice(2) : undefined;
    if (name === undefined || !(name in defaults)) {
      throw new Error(`unknown option ${flag}: expected one of ${Object.keys(defaults).map((key) => `--${key}`).join(', ')}`);
    }
    const value = argv[i + 1];
    if (value === undefined) throw new Error(`missing value for --${name}`);
    options[name] = typeof defaults[name] === 'number' ? Number(value) : value;
    if (typeof defaults[name] === 'number' && !Number.isFinite(options[name])) {
      throw new Error(`invalid --${name}: expected a number, received ${value}`);
    }
    i++;
  }
  return options;
}
