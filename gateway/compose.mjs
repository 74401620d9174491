// Compose gateway/supergraph.graphql from the subgraph SDL files written by
// `python -m crm_shared.graphql.export` (subgraphs/<name>.graphql, URLs in subgraphs.json), and
// gateway/schema.graphql, the public API clients see (no join__/link directives), which the web
// console's typed operations are generated from.
//
//   node compose.mjs                       write supergraph.graphql and schema.graphql
//   node compose.mjs --check               write nothing; exit 1 when composition fails or a
//                                          committed file is stale
//   node compose.mjs --gateway-dir <dir>   read and write <dir> instead of this folder
//                                          (same as env CRM_GATEWAY_DIR)
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GraphQLError, Source, parse } from 'graphql';
import { composeServices } from '@theguild/federation-composition';

const args = process.argv.slice(2);
const check = args.includes('--check');
const dirFlag = args.indexOf('--gateway-dir');
if (dirFlag !== -1 && !args[dirFlag + 1]) fail('--gateway-dir needs a directory');
const dir = resolve(
  dirFlag !== -1 ? args[dirFlag + 1] : process.env.CRM_GATEWAY_DIR || dirname(fileURLToPath(import.meta.url)),
);
const shown = (path) => relative(process.cwd(), path) || '.';

function fail(message) {
  console.error(message);
  process.exit(1);
}

function describe(error, indent = '  ') {
  const code = error.extensions?.code ? `[${error.extensions.code}] ` : '';
  const where = error.source && error.locations?.length
    ? ` (${error.source.name}:${error.locations[0].line}:${error.locations[0].column})`
    : '';
  return `${indent}- ${code}${error.message}${where}`;
}

const urlsFile = join(dir, 'subgraphs.json');
if (!existsSync(urlsFile)) fail(`${shown(urlsFile)} not found: run \`make compose\``);
let urls;
try {
  urls = JSON.parse(readFileSync(urlsFile, 'utf8'));
} catch (error) {
  fail(`${shown(urlsFile)} is not valid JSON: ${error.message}`);
}

const services = [];
const skipped = [];
const parseErrors = [];
for (const [name, url] of Object.entries(urls)) {
  const file = join(dir, 'subgraphs', `${name}.graphql`);
  if (!existsSync(file)) {
    skipped.push(name);
    continue;
  }
  try {
    // the Source name puts the file into locations of syntax errors
    const source = readFileSync(file, 'utf8');
    services.push({ name, url, typeDefs: parse(new Source(source, shown(file))) });
  } catch (error) {
    parseErrors.push(error instanceof GraphQLError ? error : new GraphQLError(String(error)));
  }
}
if (skipped.length) console.warn(`no SDL for ${skipped.join(', ')}: left out of the supergraph`);
if (parseErrors.length) {
  fail(`Subgraph SDL does not parse:\n${parseErrors.map((e) => describe(e)).join('\n')}`);
}
if (!services.length) fail(`no subgraph SDL found under ${shown(join(dir, 'subgraphs'))}`);

const result = composeServices(services);
if (result.errors?.length) {
  fail(
    `Composition of ${services.map((s) => s.name).join(', ')} failed with ${result.errors.length} error(s):\n` +
      result.errors.map((e) => describe(e)).join('\n'),
  );
}

const names = services.map((s) => s.name).join(', ');
const outputs = [
  [join(dir, 'supergraph.graphql'), result.supergraphSdl.trimEnd() + '\n'],
  [join(dir, 'schema.graphql'), result.publicSdl.trimEnd() + '\n'],
];
for (const [target, composed] of outputs) {
  if (check) {
    const committed = existsSync(target) ? readFileSync(target, 'utf8') : null;
    if (committed === null) fail(`${shown(target)} is missing: run \`make compose\` and commit it.`);
    if (committed !== composed) {
      const have = committed.split('\n');
      const want = composed.split('\n');
      let line = 0;
      while (line < Math.max(have.length, want.length) && have[line] === want[line]) line += 1;
      fail(
        `${shown(target)} is stale (composed from ${names}): run \`make compose\` and commit the result.\n` +
          `  first difference at line ${line + 1}:\n` +
          `    committed: ${have[line] ?? '<end of file>'}\n` +
          `    composed:  ${want[line] ?? '<end of file>'}`,
      );
    }
    console.log(`${shown(target)} is up to date (${names})`);
  } else {
    writeFileSync(target, composed);
    console.log(`composed ${names} into ${shown(target)}`);
  }
}
