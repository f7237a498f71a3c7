-- wrk reporter: one JSON line with requests/s and latency percentiles (milliseconds).
--
-- Given a file of paths (wrk … -s latency.lua URL -- paths.txt), each request asks for the next
-- path in the file, round and round; each thread starts at its own offset, so the threads do not
-- ask for the same URL at the same moment. Without one, every request asks for URL's path.

local paths = {}
local position = 0
local threads = 0

function setup(thread)
  thread:set("number", threads)
  threads = threads + 1
end

local function next_path()
  position = position % #paths + 1
  return wrk.format(nil, paths[position])
end

function init(args)
  if args[1] == nil then
    return
  end
  for line in io.lines(args[1]) do
    if #line > 0 then
      paths[#paths + 1] = line
    end
  end
  position = math.floor(#paths * number / tonumber(args[2] or 1))
  request = next_path
end

done = function(summary, latency, requests)
  local seconds = summary.duration / 1e6
  io.write(string.format(
    '{"requests": %d, "errors": %d, "rps": %.1f, "p50": %.2f, "p95": %.2f, "p99": %.2f, "non2xx": %d}\n',
    summary.requests,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    summary.errors.status))
end
