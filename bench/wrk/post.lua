-- POST one fixed body; headers come from the environment (WRK_AUTH, WRK_H1..WRK_H4 as "Name: value").
wrk.method = "POST"
wrk.body = os.getenv("WRK_BODY")
wrk.headers["Content-Type"] = "application/json"
local auth = os.getenv("WRK_AUTH")
if auth and auth ~= "" then wrk.headers["Authorization"] = auth end
for i = 1, 4 do
  local h = os.getenv("WRK_H" .. i)
  if h and h ~= "" then
    local k, v = h:match("^([^:]+):%s*(.*)$")
    wrk.headers[k] = v
  end
end
