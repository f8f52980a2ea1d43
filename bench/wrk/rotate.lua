-- POST a rotation of bodies, one JSON document per line of the file WRK_BODIES (each thread
-- starts at another line); headers as post.lua (WRK_AUTH, WRK_H1..WRK_H4 as "Name: value").
local bodies = {}
for line in io.lines(os.getenv("WRK_BODIES")) do
  if line ~= "" then bodies[#bodies + 1] = line end
end
local headers = { ["Content-Type"] = "application/json" }
local auth = os.getenv("WRK_AUTH")
if auth and auth ~= "" then headers["Authorization"] = auth end
for i = 1, 4 do
  local h = os.getenv("WRK_H" .. i)
  if h and h ~= "" then
    local k, v = h:match("^([^:]+):%s*(.*)$")
    headers[k] = v
  end
end
local next_body = 0
local thread_count = 0
function setup(thread)
  thread:set("next_body", thread_count)
  thread_count = thread_count + 1
end
function request()
  next_body = next_body % #bodies + 1
  return wrk.format("POST", nil, headers, bodies[next_body])
end
