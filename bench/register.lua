-- wrk script: POST public registrations, each a different person (thread id + counter in the
-- name and phone), so none is refused as a duplicate.
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end

wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local n = 0
function request()
  n = n + 1
  local body = string.format('{"full_name":"Người Tham Dự %d %d","phone":"09%d%07d"}', tid, n, tid, n)
  return wrk.format(nil, nil, nil, body)
end
