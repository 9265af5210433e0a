-- One benchmark scenario for wrk, configured by environment variables that
-- bench/run.py sets:
--   BENCH_TOKEN   the bearer token to send (none when empty)
--   BENCH_MIX     "kind:weight,..." of request kinds, e.g. "get_user:45,create:5"
--   BENCH_PATH    the path of the "path" kind
--   BENCH_IDS     a file of user ids, one a line (get_user and patch pick one at random)
--   BENCH_RUN     a word that makes this run's new email addresses unique
--   BENCH_OUT     where done() writes the figures as JSON

local token = os.getenv("BENCH_TOKEN") or ""
local fixed_path = os.getenv("BENCH_PATH") or "/"
local run = os.getenv("BENCH_RUN") or "run"
local out = os.getenv("BENCH_OUT")

local function read_ids(file)
  local ids = {}
  if file and file ~= "" then
    for line in io.lines(file) do
      if line ~= "" then ids[#ids + 1] = line end
    end
  end
  return ids
end

local function parse_mix(text)
  local kinds, total = {}, 0
  for kind, weight in string.gmatch(text or "path:1", "([%w_]+):(%d+)") do
    total = total + tonumber(weight)
    kinds[#kinds + 1] = { kind = kind, upto = total }
  end
  return kinds, total
end

local ids = read_ids(os.getenv("BENCH_IDS"))
local mix, mix_total = parse_mix(os.getenv("BENCH_MIX"))
local threads = {}
local counter = 0
-- thread_number is a global: setup() gives each thread its own through thread:set.

function setup(thread)
  thread:set("thread_number", #threads)
  threads[#threads + 1] = thread
end

function init(args)
  math.randomseed(os.time() + (thread_number or 0) * 7919)
end

local function headers(json)
  local h = { ["Accept"] = "application/json" }
  if token ~= "" then h["Authorization"] = "Bearer " .. token end
  if json then h["Content-Type"] = "application/json" end
  return h
end

local function pick_kind()
  local roll = math.random(1, mix_total)
  for _, entry in ipairs(mix) do
    if roll <= entry.upto then return entry.kind end
  end
  return mix[#mix].kind
end

local surnames = { "Lovelace", "Hopper", "Turing", "Babbage", "Hamilton", "Noether" }

function request()
  local kind = pick_kind()
  if kind == "get_user" then
    return wrk.format("GET", "/api/v1/users/" .. ids[math.random(#ids)], headers(false))
  elseif kind == "list" then
    return wrk.format("GET", "/api/v1/users?page=1", headers(false))
  elseif kind == "create" then
    counter = counter + 1
    local email = string.format("bench.%s.%d.%d@education.gov.uk", run, thread_number or 0, counter)
    local body = string.format(
      '{"first_name":"Bench","last_name":"Writer","email":"%s","api_user":false}', email)
    return wrk.format("POST", "/api/v1/users", headers(true), body)
  elseif kind == "patch" then
    local body = string.format('{"last_name":"%s"}', surnames[math.random(#surnames)])
    return wrk.format("PATCH", "/api/v1/users/" .. ids[math.random(#ids)], headers(true), body)
  else
    return wrk.format("GET", fixed_path, headers(false))
  end
end

-- A scenario of one fixed path sends the same request every time: wrk then
-- builds it once instead of calling request() (Lua) for each one, so the load
-- generator takes less of the CPU the server and PostgreSQL share with it.
if #mix == 1 and mix[1].kind == "path" then
  wrk.path = fixed_path
  for name, value in pairs(headers(false)) do wrk.headers[name] = value end
  request = nil
end

function done(summary, latency, requests)
  if not out then return end
  local file = assert(io.open(out, "w"))
  file:write(string.format(
    '{"requests":%d,"duration_us":%d,"p50_us":%d,"p90_us":%d,"p99_us":%d,"max_us":%d,"mean_us":%.1f,' ..
    '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d}}',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.max, latency.mean,
    summary.errors.connect, summary.errors.read, summary.errors.write,
    summary.errors.status, summary.errors.timeout))
  file:close()
end
