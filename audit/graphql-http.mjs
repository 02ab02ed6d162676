// Runs the graphql-http server audit against a running caregraph and fails on any MUST.
// Usage: node graphql-http.mjs http://127.0.0.1:8000/graphql
import { auditServer } from 'graphql-http';

const url = process.argv[2] ?? 'http://127.0.0.1:8000/graphql';
const results = await auditServer({ url });
let ok = 0;
let failed = 0;
let warned = 0;
for (const r of results) {
  if (r.status === 'ok') {
    ok++;
    continue;
  }
  if (r.status === 'error') failed++; // a MUST
  if (r.status === 'warn') warned++; // a SHOULD
  console.log(`${r.status.toUpperCase().padEnd(6)} ${r.id} ${r.name} :: ${r.reason}`);
}
console.log(`graphql-http audit: ${ok} ok, ${warned} SHOULD warnings, ${failed} MUST failures`);
process.exit(failed ? 1 : 0);
