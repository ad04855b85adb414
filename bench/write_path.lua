-- wrk script of bench/write_path. Arguments after "--": <mode> [targets file] [organizations]
--   healthz: GET /healthz;  notes: POST /v1/notes, each request for the next of the first <organizations>
--   lines of the targets file ("<access token> <client id>" per organization), round robin.
-- Prints one line, "WRK <requests> <seconds> <p50 us> <p99 us> <non-2xx> <socket errors>", for bench/write_path.
local mode, targets, count, next_target = "healthz", {}, 0, 0

function init(args)
  mode = args[1] or "healthz"
  if mode == "notes" then
    for line in io.lines(args[2]) do
      local token, client = line:match("^(%S+) (%S+)$")
      if token then targets[#targets + 1] = { token = token, client = client } end
    end
    count = math.min(tonumber(args[3]) or #targets, #targets)
  end
end

function request()
  if mode ~= "notes" then return wrk.format("GET", "/healthz") end
  next_target = next_target % count + 1
  local t = targets[next_target]
  return wrk.format("POST", "/v1/notes",
    { ["Authorization"] = "Bearer " .. t.token, ["Content-Type"] = "application/json" },
    '{"client_id":"' .. t.client .. '","text":"bench note"}')
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("WRK %d %.3f %d %d %d %d\n", summary.requests, summary.duration / 1e6,
    latency:percentile(50), latency:percentile(99), e.status, e.connect + e.read + e.write + e.timeout))
end
