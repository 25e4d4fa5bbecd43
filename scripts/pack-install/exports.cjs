/* eslint-disable @typescript-eslint/no-require-imports -- this file loads the CommonJS builds through require() */
// Loads every entry point named on the command line with both require() and import() and
// prints, per entry point, the export names of each build.
async function main() {
  const report = {};
  for (const specifier of process.argv.slice(2)) {
    const required = require(specifier);
    const imported = await import(specifier);
    report[specifier] = {
      require: Object.keys(required).sort(),
      import: Object.keys(imported).filter((name) => name !== 'default' && name !== 'module.exports').sort(),
    };
  }
  console.log(JSON.stringify(report));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
