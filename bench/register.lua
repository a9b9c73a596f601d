-- wrk script: POST public registrations, each a different person (thread id + counter spelled
-- out in the name, as names may not hold digits, and in the phone), so none is refused as a
-- duplicate.
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end

local digits = { "Không", "Một", "Hai", "Ba", "Bốn", "Năm", "Sáu", "Bảy", "Tám", "Chín" }
local function spelled(number)
  local words = {}
  for digit in tostring(number):gmatch("%d") do
    words[#words + 1] = digits[tonumber(digit) + 1]
  end
  return table.concat(words, " ")
end

wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local n = 0
function request()
  n = n + 1
  local body = string.format('{"full_name":"Người Tham Dự %s Số %s","phone":"09%d%07d"}', spelled(tid), spelled(n), tid, n)
  return wrk.format(nil, nil, nil, body)
end
