// The sign-in page's first load in compressed JavaScript: the entry chunk, the sign-in route's
// chunk and everything they import statically (from Vite's manifest). Fails over the budget.
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

const BUDGET = 300 * 1024;
const manifest = JSON.parse(readFileSync('dist/.vite/manifest.json', 'utf8'));
const entry = Object.keys(manifest).find((key) => manifest[key].isEntry);
const seen = new Set();
function visit(key) {
  if (seen.has(key)) return;
  seen.add(key);
  for (const imported of manifest[key].imports ?? []) visit(imported);
}
visit(entry);
visit('src/features/auth/SignInPage.tsx');
const bytes = [...seen].reduce((sum, key) => sum + gzipSync(readFileSync(`dist/${manifest[key].file}`)).length, 0);
const kb = (bytes / 1024).toFixed(1);
console.log(`sign-in page first load: ${kb} KB of gzip-compressed JavaScript in ${seen.size} files (budget 300 KB)`);
if (bytes > BUDGET) {
  console.error('over budget: split more routes or libraries out of the first load');
  process.exit(1);
}
