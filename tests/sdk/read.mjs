// Reads from a running server through the official SDK, with strict validation, for the Rust
// tests that must show the SDK sees what an operator made (the console's browser tests).
// Not a test file of its own (`npm test` runs test/*.test.js only).
//
//   node read.mjs <base URL> <app token> '<calls>'
//
// <calls> is a JSON array of [module, method, [arguments…]], e.g.
// [["Pages","getPageByUrl",["about","en_US"]]]. Prints one JSON array of the answers, or
// exits 1 naming the call that failed (the SDK's error body, or its validation error).

import { defineOneEntry } from 'oneentry';

const [url, token, callsJson] = process.argv.slice(2);
if (!url || !token || !callsJson) {
  console.error('usage: node read.mjs <base URL> <app token> <calls JSON>');
  process.exit(2);
}
const api = defineOneEntry(url, {
  token,
  validation: { enabled: true, strictMode: true },
});
const out = [];
for (const [module, method, args] of JSON.parse(callsJson)) {
  const target = api[module];
  if (!target || typeof target[method] !== 'function') {
    console.error(`no SDK method ${module}.${method}`);
    process.exit(1);
  }
  try {
    const answer = await target[method](...(args || []));
    // The SDK answers errors as values unless told to throw: treat its error body as failure.
    if (answer && typeof answer === 'object' && 'statusCode' in answer && answer.statusCode >= 400) {
      console.error(`${module}.${method} answered ${JSON.stringify(answer)}`);
      process.exit(1);
    }
    out.push(answer);
  } catch (e) {
    console.error(`${module}.${method} failed: ${e && e.stack ? e.stack : e}`);
    process.exit(1);
  }
}
process.stdout.write(JSON.stringify(out));
