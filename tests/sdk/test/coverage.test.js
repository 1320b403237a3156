// The README's API coverage table names every public method of every module the official SDK
// defines (none left out, none invented), so the table cannot drift from the SDK we pin.
// No server is needed: the modules are enumerated from `defineOneEntry` itself.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

import { REPO_ROOT } from './harness.js';

const require = createRequire(import.meta.url);
const { defineOneEntry } = require('oneentry');

/** Module name → its public methods, as the SDK defines them. */
function sdkMethods() {
  const api = defineOneEntry('http://127.0.0.1:9', { token: 'coverage' });
  const out = new Map();
  for (const [name, module] of Object.entries(api)) {
    const proto = Object.getPrototypeOf(module);
    const methods = Object.getOwnPropertyNames(proto).filter(
      (m) => m !== 'constructor' && !m.startsWith('_') && typeof proto[m] === 'function',
    );
    out.set(name, new Set(methods));
  }
  return out;
}

/** Module name → methods named in the README's "API coverage" table. */
function readmeMethods() {
  const readme = fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
  const start = readme.indexOf('## API coverage');
  assert.ok(start >= 0, 'README has an "API coverage" section');
  const section = readme.slice(start, readme.indexOf('\n## ', start + 1));
  const out = new Map();
  for (const line of section.split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    // | module | methods | status |
    if (cells.length < 5 || cells[1] === 'module' || cells[1].startsWith('---')) continue;
    const [, module, methods] = cells;
    if (!/^[A-Za-z]+$/.test(module)) continue;
    const set = out.get(module) ?? new Set();
    // A note in parentheses after a method ("createOrder (with …)") is not a method.
    const names = methods.replace(/\([^)]*\)/g, '').replace(/`/g, '');
    for (const m of names.split(',').map((s) => s.trim()).filter(Boolean)) {
      set.add(m);
    }
    out.set(module, set);
  }
  return out;
}

test('the README coverage table lists every SDK module and method, and nothing else', () => {
  const sdk = sdkMethods();
  const readme = readmeMethods();
  let count = 0;
  for (const [module, methods] of sdk) {
    const listed = readme.get(module) ?? new Set();
    const missing = [...methods].filter((m) => !listed.has(m));
    assert.deepEqual(missing, [], `README coverage table misses ${module}: ${missing.join(', ')}`);
    count += methods.size;
  }
  for (const [module, methods] of readme) {
    assert.ok(sdk.has(module), `README names module ${module}, which the SDK does not define`);
    const extra = [...methods].filter((m) => !sdk.get(module).has(m));
    assert.deepEqual(extra, [], `README names ${module} methods the SDK lacks: ${extra.join(', ')}`);
  }
  assert.ok(count >= 115, `the SDK defines ${count} methods`);
});
