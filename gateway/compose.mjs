// Compose gateway/supergraph.graphql from the subgraph SDL files written by
// `python -m crm_shared.graphql.export`. With --check, write nothing and fail when the
// committed supergraph is stale or composition fails.
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'graphql';
import { composeServices } from '@theguild/federation-composition';

const here = dirname(fileURLToPath(import.meta.url));
const check = process.argv.includes('--check');
const urls = JSON.parse(readFileSync(join(here, 'subgraphs.json'), 'utf8'));

const services = Object.entries(urls)
  .filter(([name]) => existsSync(join(here, 'subgraphs', `${name}.graphql`)))
  .map(([name, url]) => ({
    name,
    url,
    typeDefs: parse(readFileSync(join(here, 'subgraphs', `${name}.graphql`), 'utf8')),
  }));

const result = composeServices(services);
if (result.errors?.length) {
  console.error(`Composition failed (${result.errors.length} error(s)):`);
  for (const error of result.errors) console.error(`  - ${error.message}`);
  process.exit(1);
}

const supergraph = result.supergraphSdl.trimEnd() + '\n';
const target = join(here, 'supergraph.graphql');
if (check) {
  const committed = existsSync(target) ? readFileSync(target, 'utf8') : '';
  if (committed !== supergraph) {
    console.error('gateway/supergraph.graphql is stale: run `make compose` and commit the result.');
    process.exit(1);
  }
  console.log(`supergraph is up to date (${services.map((s) => s.name).join(', ')})`);
} else {
  writeFileSync(target, supergraph);
  console.log(`composed ${services.map((s) => s.name).join(', ')} into gateway/supergraph.graphql`);
}
