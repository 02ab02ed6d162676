// Runs queries through Apollo Client 4 with its PersistedQueryLink (automatic persisted
// queries, hashes by GET) against a running caregraph, twice each: the first time the hash
// is unknown and the client falls back to sending the query; the second time the hash
// alone answers. Prints one JSON object: each query's answers and every HTTP request made.
// Usage: node apollo-apq.mjs http://127.0.0.1:8000/graphql < queries.json (an array of strings)
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ApolloClient, HttpLink, InMemoryCache, gql } from '@apollo/client';
import { PersistedQueryLink } from '@apollo/client/link/persisted-queries';

const url = process.argv[2] ?? 'http://127.0.0.1:8000/graphql';
const queries = JSON.parse(readFileSync(0, 'utf8'));
const requests = [];

// Records what each request carried and how it was answered.
async function recordingFetch(input, init) {
  const response = await fetch(input, init);
  const target = new URL(typeof input === 'string' ? input : input.url);
  const body = init?.body ? JSON.parse(init.body) : null;
  const extensions = body?.extensions ?? JSON.parse(target.searchParams.get('extensions') ?? 'null');
  requests.push({
    method: init?.method ?? 'GET',
    query: body?.query ?? target.searchParams.get('query'),
    sha256Hash: extensions?.persistedQuery?.sha256Hash ?? null,
    status: response.status,
  });
  return response;
}

const sha256 = (text) => createHash('sha256').update(text).digest('hex');
const client = new ApolloClient({
  cache: new InMemoryCache(),
  link: new PersistedQueryLink({ sha256, useGETForHashedQueries: true }).concat(
    new HttpLink({ uri: url, fetch: recordingFetch }),
  ),
});

const answers = [];
for (const text of queries) {
  const rounds = [];
  for (let round = 0; round < 2; round++) {
    const { data, error } = await client.query({ query: gql(text), fetchPolicy: 'no-cache' });
    rounds.push({ data: data ?? null, error: error ? String(error) : null });
  }
  answers.push(rounds);
}
console.log(JSON.stringify({ answers, requests }));
