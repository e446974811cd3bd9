-- The command line's host control (issue 14): Ctrl-C under a pseudo-
-- terminal, --timeout, --fuel, --max-memory, --max-stack, --preload, the
-- unknown-import flags, --argv0, and `inspect` of modules moonwasm cannot
-- load.  Guests: tests/wat/cli_*.wat (built into build/wasm).
package.path = debug.getinfo(1, "S").source:match("^@(.*/)") .. "?.lua;" .. package.path
local h = require("helpers")

local ROOT = h.root
if not ROOT:match("^/") then
  local p = io.popen("pwd")
  ROOT = p:read("l") .. (ROOT == "." and "" or ("/" .. ROOT))
  p:close()
end
local SCRIPT = ROOT .. "/scripts/moonwasm"
local PTY_RUN = ROOT .. "/build/tools/pty_run"

local function q(s) return "'" .. tostring(s):gsub("'", "'\\''") .. "'" end
local function fixture(name) return h.fixture(name) end

local function read_all(path)
  local f = io.open(path, "rb")
  local s = f and f:read("a") or ""
  if f then f:close() end
  return s
end

-- Run the CLI with `args` (a list); returns {status, out, err}.
local function moonwasm(args)
  local words = {}
  for i, a in ipairs(args) do words[i] = q(a) end
  local out, err = os.tmpname(), os.tmpname()
  local ok, how, code = os.execute(("cd %s && %s %s %s > %s 2> %s"):format(
    q(ROOT), h.lua, q(SCRIPT), table.concat(words, " "), q(out), q(err)))
  local r = {status = how == "exit" and code or 128 + code, out = read_all(out), err = read_all(err)}
  os.remove(out)
  os.remove(err)
  return r
end

describe("moonwasm run: Ctrl-C", function()
  it("interrupts a looping guest at the first Ctrl-C, exit status 130", function()
    local p = io.popen(("%s started %s %s run %s"):format(q(PTY_RUN), h.lua, q(SCRIPT),
                                                          q(fixture("cli_spin"))))
    local out = p:read("a")
    p:close()
    assert.truthy(out:find("started", 1, true), out)
    assert.truthy(out:find("trap: interrupted", 1, true), out)
    assert.truthy(out:find("\nstatus 130\n", 1, true), out)
  end)
end)

describe("moonwasm run: limits", function()
  it("--timeout stops an endless loop with 'deadline exceeded' (134)", function()
    local r = moonwasm({"run", "--timeout", "0.1", fixture("cli_spin")})
    assert.equal(134, r.status, r.err)
    assert.equal("started\n", r.out)
    assert.truthy(r.err:find("trap: deadline exceeded", 1, true), r.err)
    assert.truthy(r.err:find("cli_spin.spin", 1, true), r.err)
  end)

  it("--fuel runs out in an endless loop ('all fuel consumed', 134)", function()
    local r = moonwasm({"run", "--fuel", "5000", fixture("cli_spin")})
    assert.equal(134, r.status, r.err)
    assert.truthy(r.err:find("exhaustion: all fuel consumed", 1, true), r.err)
    -- enough fuel for a program that ends
    r = moonwasm({"call", "--fuel", "100000", fixture("cli_lib"), "seven"})
    assert.equal(0, r.status, r.err)
    assert.equal("7\n", r.out)
    r = moonwasm({"call", "--fuel", "1", fixture("cli_lib"), "seven"})
    assert.equal(134, r.status, r.err)
  end)

  it("--max-memory makes memory.grow fail; --max-stack bounds recursion", function()
    local r = moonwasm({"run", fixture("cli_limits")})
    assert.equal(5, r.status, r.err) -- grew, and recursed 5000 deep
    r = moonwasm({"run", "--max-memory", "512K", fixture("cli_limits")})
    assert.equal(10, r.status, r.err) -- 8 pages: growing by 16 fails
    r = moonwasm({"run", "--max-memory", "2M", fixture("cli_limits")})
    assert.equal(5, r.status, r.err)
    r = moonwasm({"run", "--max-stack", "1000", fixture("cli_limits")})
    assert.equal(134, r.status, r.err)
    assert.truthy(r.err:find("call stack exhausted", 1, true), r.err)
  end)

  it("rejects bad limit values as usage errors (2)", function()
    for _, args in ipairs {{"--max-memory", "lots"}, {"--fuel", "many"}, {"--timeout", "0"},
                           {"--max-stack", "x"}, {"--preload", "nofile"}} do
      local r = moonwasm({"run", args[1], args[2], fixture("cli_spin")})
      assert.equal(2, r.status, r.err)
      assert.truthy(r.err:find(args[1], 1, true), r.err)
    end
  end)
end)

describe("moonwasm run: linking", function()
  it("--preload links other modules by name", function()
    local r = moonwasm({"run", "--preload", "lib=" .. fixture("cli_lib"),
                        "--default-values-unknown-imports", fixture("cli_imports")})
    assert.equal(0 + 7 + 3, r.status, r.err) -- missing(1) returned 0
  end)

  it("unknown imports fail to link unless a flag stubs them", function()
    local r = moonwasm({"run", "--preload", "lib=" .. fixture("cli_lib"), fixture("cli_imports")})
    assert.equal(1, r.status)
    assert.truthy(r.err:find('unknown import "env" "missing"', 1, true), r.err)
    r = moonwasm({"run", "--preload", "lib=" .. fixture("cli_lib"), "--trap-unknown-imports",
                  fixture("cli_imports")})
    assert.equal(134, r.status, r.err)
    assert.truthy(r.err:find("unknown import: env::missing has not been defined", 1, true), r.err)
    r = moonwasm({"run", "--trap-unknown-imports", "--default-values-unknown-imports",
                  fixture("cli_imports")})
    assert.equal(2, r.status, r.err)
  end)

  it("--argv0 sets the program's argv[0]", function()
    local r = moonwasm({"run", "--argv0", "hello", fixture("cli_argv0"), "x"})
    assert.equal(0, r.status, r.err)
    assert.equal("hello\n", r.out)
    r = moonwasm({"run", fixture("cli_argv0")})
    assert.equal(fixture("cli_argv0") .. "\n", r.out)
  end)
end)

describe("moonwasm inspect", function()
  it("lists imports and exports of a module using GC instructions", function()
    -- (func (export "g") (drop (ref.i31 (i32.const 1)))) importing env.f
    -- (every feature is implemented now: it inspects as valid)
    local function sec(id, body) return string.char(id, #body) .. body end
    local body = "\0\65\1\251\28\26\11"
    local bytes = "\0asm\1\0\0\0" .. sec(1, "\1\96\1\127\0") .. sec(2, "\1\3env\1f\0\0") ..
                  sec(3, "\1\0") .. sec(7, "\1\1g\0\1") ..
                  sec(10, "\1" .. string.char(#body) .. body)
    local path = os.tmpname()
    local f = assert(io.open(path, "wb"))
    f:write(bytes)
    f:close()
    local r = moonwasm({"inspect", path})
    os.remove(path)
    assert.equal(0, r.status, r.err)
    assert.truthy(r.out:find("binary version 1, valid", 1, true), r.out)
    assert.truthy(r.out:find('(import "env" "f" (func (param i32)))', 1, true), r.out)
    assert.truthy(r.out:find('(export "g" (func (param i32)))', 1, true), r.out)
  end)
end)

describe("moonwasm run --profile", function()
  it("writes folded stacks, also when the guest traps", function()
    local path = os.tmpname()
    local r = moonwasm({"run", "--profile", path, "--timeout", "0.1", fixture("cli_spin")})
    assert.equal(134, r.status, r.err)
    local text = read_all(path)
    os.remove(path)
    assert.matches("^[^\n]*cli_spin%.spin %d+\n", text)
    for line in text:gmatch("[^\n]+") do assert.matches("^[^ ]+ %d+$", line) end
  end)
end)
