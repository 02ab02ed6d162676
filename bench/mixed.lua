-- wrk script: a mix of the four representative queries, POSTed in turn, counting any
-- response that carries GraphQL errors as an error.
local node_id = os.getenv("NODE_ID") or ""
local queries = {
  -- a developer's deep linked query
  '{"query":"{ commitments { nodes { number milestones(first: 10) { nodes { title startDate progressUpdates { reportTitle text source { url } } } } organisations { name } } } }"}',
  -- a dashboard's timeline
  '{"query":"{ timeline { date endDate kind title } }"}',
  -- a researcher's search
  '{"query":"{ search(query: \\"civil society group\\", first: 10) { totalCount nodes { snippet score passage { document { title } } } } }"}',
  -- node lookups
  '{"query":"query($id: ID!) { node(id: $id) { id ... on Commitment { title periodStart } } }","variables":{"id":"' .. node_id .. '"}}',
}
local threads = {}
local counter = 0
errors = 0  -- global, so done() can read it from each thread

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  counter = math.random(0, #queries - 1)
end

function request()
  counter = counter + 1
  local body = queries[(counter % #queries) + 1]
  return wrk.format("POST", "/graphql", { ["Content-Type"] = "application/json" }, body)
end

function response(status, headers, body)
  if status ~= 200 or string.find(body, '"errors"', 1, true) then
    errors = errors + 1
  end
end

function done(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(threads) do
    total = total + (thread:get("errors") or 0)
  end
  io.write(string.format("graphql_errors %d\n", total))
end
