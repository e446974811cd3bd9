-- 08_scheduler.lua -- many guests run cooperatively by a Lua scheduler.
--
-- examples/c/guest_sched.c is written as if it blocked: it calls env.read
-- (wait for input) and env.sleep.  Here both host functions yield the
-- coroutine the guest runs in: the wasm call suspends with all its frames
-- and continues when the scheduler resumes it.  Three guests, one store,
-- interleaved by a tiny scheduler with a virtual clock and an input queue.
--
--   make && lua5.4 examples/08_scheduler.lua
package.path = "./lua/?.lua;./lua/?/init.lua;" .. package.path
package.cpath = "./build/lua/?.so;" .. package.cpath

local wasm = require "moonwasm"

-- The scheduler: tasks are coroutines; a task yields {sleep = ms} or
-- {read = channel}.
local now, tasks, inbox = 0, {}, {}
local function spawn(name, fn) tasks[#tasks + 1] = {name = name, co = coroutine.create(fn), wake = 0} end
local function send(channel, value)
  inbox[channel] = inbox[channel] or {}
  table.insert(inbox[channel], value)
end

local function run_all()
  while #tasks > 0 do
    local ran = false
    for i = #tasks, 1, -1 do
      local t = tasks[i]
      local q = t.read and inbox[t.read]
      local ready = (t.read and q and #q > 0) or (not t.read and t.wake <= now)
      if ready then
        local value
        if t.read then value = table.remove(q, 1); t.read = nil end
        local ok, req = coroutine.resume(t.co, value)
        assert(ok, req)
        ran = true
        if coroutine.status(t.co) == "dead" then
          print(("[%3d ms] %s finished: total %d"):format(now, t.name, req))
          table.remove(tasks, i)
        elseif req.sleep then
          t.wake = now + req.sleep
        else
          t.read = req.read
        end
      end
    end
    if not ran then now = now + 5 end -- nothing runnable: let time pass
    if now % 15 == 0 then send(now // 15 % 3, now) end -- input arrives
  end
end

-- The host functions: they only yield to the scheduler.
local store = wasm.store()
local mod = wasm.load_file("build/wasm/guest_sched.wasm")
local env = {
  read = function(id) return coroutine.yield({read = id}) end,
  sleep = function(ms) coroutine.yield({sleep = ms}) end,
  report = function(id, sum) print(("[%3d ms] guest %d: running sum %d"):format(now, id, sum)) end,
}
for id = 0, 2 do
  local inst = store:instantiate(mod, {env = env})
  spawn("guest " .. id, function() return inst.exports.run(id, 3) end)
end
run_all()
print("all guests done at " .. now .. " ms (virtual)")
