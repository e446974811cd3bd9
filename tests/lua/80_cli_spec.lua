-- The `moonwasm` command line, run as a subprocess the way a user runs it:
-- `run` against the native builds of tests/wasi/*.c, `inspect`, `call`,
-- help and user mistakes.  The WASI programs come from `make wasi-progs`
-- ($MW_WASI_DIR and $MW_WASI_NATIVE_DIR, as the Makefile exports them);
-- wat fixtures are built here with wat2wasm.
package.path = debug.getinfo(1, "S").source:match("^@(.*/)") .. "?.lua;" .. package.path
local h = require("helpers")
local cjson = require("cjson")
local cli = require("moonwasm.cli")

-- Absolute, since commands run in other directories.
local ROOT = h.root
if not ROOT:match("^/") then
  local p = io.popen("pwd")
  ROOT = p:read("l") .. (ROOT == "." and "" or ("/" .. ROOT))
  p:close()
end
local SCRIPT = ROOT .. "/scripts/moonwasm"
local WASI_DIR = os.getenv("MW_WASI_DIR") or (ROOT .. "/build/wasi")
local NATIVE_DIR = os.getenv("MW_WASI_NATIVE_DIR") or (ROOT .. "/build/wasi-native")

------------------------------------------------------------------------------
-- helpers
------------------------------------------------------------------------------

local function q(s)
  return "'" .. tostring(s):gsub("'", "'\\''") .. "'"
end

local function read(path)
  local f = io.open(path, "rb")
  if not f then return nil end
  local data = f:read("a")
  f:close()
  return data
end

local function write(path, data)
  local f = assert(io.open(path, "wb"))
  f:write(data)
  f:close()
end

local function capture(cmd)
  local p = io.popen(cmd)
  local out = p:read("a")
  p:close()
  return out
end

local temp_dirs = {}
local function temp_dir()
  local dir = capture("mktemp -d \"${TMPDIR:-/tmp}/mw-cli.XXXXXX\""):gsub("%s+$", "")
  temp_dirs[#temp_dirs + 1] = dir
  return dir
end

local function mkdir(path)
  assert(os.execute("mkdir -p " .. q(path)))
end

--- Run a shell command line in `opts.cwd` with `opts.stdin` (a string) as
-- its standard input; returns {out, err, status}, where status is what a
-- shell's $? says (128 + N for a process killed by signal N).
local function sh(cmd, opts)
  opts = opts or {}
  local dir = temp_dir()
  write(dir .. "/stdin", opts.stdin or "")
  -- opts.pipe: stdin is a pipe (not seekable), else the file itself.
  local line = ("cd %s && %s%s %s %s > %s 2> %s; echo $? > %s"):format(
    q(opts.cwd or ROOT), opts.pipe and ("cat " .. q(dir .. "/stdin") .. " | ") or "", cmd,
    opts.pipe and "" or "<", opts.pipe and "" or q(dir .. "/stdin"),
    q(dir .. "/out"), q(dir .. "/err"), q(dir .. "/status"))
  -- The outer shell's own stderr (its "Aborted" notices) is not the program's.
  os.execute("(" .. line .. ") 2>/dev/null")
  return {out = read(dir .. "/out") or "", err = read(dir .. "/err") or "",
          status = tonumber(read(dir .. "/status") or "")}
end

local function words(list)
  local quoted = {}
  for i, w in ipairs(list or {}) do quoted[i] = q(w) end
  return table.concat(quoted, " ")
end

--- `moonwasm ARGS...` (a list, quoted here) with the in-tree modules.
local function moonwasm(args, opts)
  return sh(h.lua .. " " .. q(SCRIPT) .. " " .. words(args), opts)
end

--- A native program with exactly `env` (list of NAME=VALUE) as environment.
local function native(prog, args, env, opts)
  return sh("env -i " .. words(env) .. " " .. q(NATIVE_DIR .. "/" .. prog) .. " " .. words(args),
            opts)
end

local function wasi_prog(name) return WASI_DIR .. "/" .. name .. ".wasm" end

local function have_programs()
  return read(wasi_prog("files")) ~= nil and read(NATIVE_DIR .. "/files") ~= nil
end

local have_wat2wasm = os.execute("command -v wat2wasm >/dev/null 2>&1")

--- Build a wat fixture with wat2wasm; returns the .wasm path.
local function wat(dir, name, text)
  write(dir .. "/" .. name .. ".wat", text)
  local r = sh(("wat2wasm --debug-names %s -o %s"):format(q(dir .. "/" .. name .. ".wat"),
                                                          q(dir .. "/" .. name .. ".wasm")))
  assert(r.status == 0, r.err)
  return dir .. "/" .. name .. ".wasm"
end

--- The same output and status, with a readable message when not.
local function same_run(what, w, n)
  assert.equal(n.out, w.out, what .. ": stdout")
  assert.equal(n.err, w.err, what .. ": stderr")
  assert.equal(n.status, w.status, what .. ": exit status")
end

--- Files under `dir` as sorted "path kind size" lines (sizes of regular
-- files only: directory sizes depend on the file system).
local function tree(dir)
  return capture(("cd %s && find . -mindepth 1 | LC_ALL=C sort | while read -r p; do " ..
                  "if [ -L \"$p\" ]; then echo \"$p link\"; elif [ -d \"$p\" ]; then " ..
                  "echo \"$p dir\"; else echo \"$p file $(wc -c < \"$p\")\"; fi; done")
                 :format(q(dir)))
end

--- One line on stderr starting with "moonwasm", no Lua traceback.
local function one_line_error(r, status)
  assert.equal(status, r.status, r.err)
  assert.equal(1, select(2, r.err:gsub("\n", "")), r.err)
  assert.truthy(r.err:find("^moonwasm"), r.err)
  assert.is_nil(r.err:find("traceback"), r.err)
  assert.is_nil(r.err:find("%.lua:%d+:"), r.err)
end

teardown(function()
  for _, dir in ipairs(temp_dirs) do os.execute("rm -rf " .. q(dir)) end
end)

------------------------------------------------------------------------------
-- run
------------------------------------------------------------------------------

describe("moonwasm run", function()
  before_each(function()
    if not have_programs() then pending("needs `make wasi-progs` (clang, wasi-libc)") end
  end)

  it("runs files.c in its --dir like the native build in a host directory", function()
    if not have_programs() then return end
    local ndir, wdir = temp_dir(), temp_dir()
    local n = native("files", {ndir})
    local w = moonwasm({"run", "--dir", wdir .. "::/sandbox", wasi_prog("files"), "/sandbox"})
    same_run("files", w, n)
    assert.equal(tree(ndir), tree(wdir))
    assert.truthy(#w.out > 200)
  end)

  it("serves relative paths through `--dir .` (cat_rel.c, files.c)", function()
    if not have_programs() then return end
    local function layout()
      local dir = temp_dir()
      write(dir .. "/data.txt", "alpha beta\ngamma\n\ndelta  epsilon\n")
      mkdir(dir .. "/sub")
      write(dir .. "/sub/note.txt", "note\n")
      return dir
    end
    local ndir, wdir = layout(), layout()
    local n = native("cat_rel", {}, {}, {cwd = ndir})
    local w = moonwasm({"run", "--dir", ".", wasi_prog("cat_rel")}, {cwd = wdir})
    same_run("cat_rel", w, n)
    assert.equal(4, w.status)
    assert.truthy(w.out:find("sub/out.txt: 49 bytes, regular 1\n", 1, true))
    assert.equal(tree(ndir), tree(wdir))

    -- Without a preopen wasi-libc finds nothing to open relative paths in.
    local bare = moonwasm({"run", wasi_prog("cat_rel")}, {cwd = layout()})
    assert.same({"data.txt: Capabilities insufficient\n", 1}, {bare.out, bare.status})

    -- files.c with "." as its directory argument.
    ndir, wdir = temp_dir(), temp_dir()
    n = native("files", {"."}, {}, {cwd = ndir})
    w = moonwasm({"run", "--dir", ".", wasi_prog("files"), "."}, {cwd = wdir})
    same_run("files .", w, n)
    assert.equal(tree(ndir), tree(wdir))
  end)

  it("lists a tree with symlinks like the native build (lsdir.c)", function()
    if not have_programs() then return end
    local function layout()
      local dir = temp_dir()
      mkdir(dir .. "/b/c")
      write(dir .. "/a.txt", "12345")
      write(dir .. "/b/c/deep.bin", ("x"):rep(1000))
      write(dir .. "/Z", "")
      assert(os.execute(("ln -s a.txt %s/link && ln -s ../../nowhere %s/b/dangling")
                        :format(q(dir), q(dir))))
      return dir
    end
    local ndir, wdir = layout(), layout()
    local n = native("lsdir", {}, {}, {cwd = ndir})
    local w = moonwasm({"run", "--dir", ".", wasi_prog("lsdir")}, {cwd = wdir})
    same_run("lsdir", w, n)
    assert.truthy(w.out:find("l link -> a.txt\n", 1, true))
    assert.truthy(w.out:find("\n7 entries\n$"), w.out)
    assert.equal(0, w.status)
    n = native("lsdir", {ndir .. "/b"})
    w = moonwasm({"run", "--dir", wdir .. "/b::/data", wasi_prog("lsdir"), "/data"})
    assert.equal(n.out, w.out)
    assert.equal(n.status, w.status)
  end)

  it("passes stdin, stdout and stderr through (stdio.c, wc.c)", function()
    if not have_programs() then return end
    local big = {}
    for i = 1, 5000 do big[i] = ("line %d of the big input\n"):format(i) end
    for _, input in ipairs{"hello\nworld\nlast line without newline", "", table.concat(big)} do
      same_run("stdio", moonwasm({"run", wasi_prog("stdio")}, {stdin = input}),
               native("stdio", {}, {}, {stdin = input}))
    end
    local dir = temp_dir()
    write(dir .. "/one.txt", "one two  three\nfour\n")
    write(dir .. "/two.txt", table.concat(big))
    local args = {"one.txt", "-", "two.txt"}
    local w = moonwasm({"run", "--dir", ".", wasi_prog("wc"), table.unpack(args)},
                       {cwd = dir, stdin = "from stdin\n"})
    same_run("wc", w, native("wc", args, {}, {cwd = dir, stdin = "from stdin\n"}))
    assert.truthy(w.out:find("      2       4      20 one.txt\n", 1, true))
    assert.equal(0, w.status)
  end)

  it("gives the program its args and --env; argv[0] is the file as given", function()
    if not have_programs() then return end
    local args = {"one", "two words", "", "\xc3\xbcnicode", "--flag=x", "-h", "--dir", "x"}
    local env = {"MW_GREETING=hello world", "EMPTY=", "X=1=2"}
    local cmd = {"run"}
    for _, e in ipairs(env) do cmd[#cmd + 1] = "--env"; cmd[#cmd + 1] = e end
    cmd[#cmd + 1] = wasi_prog("args_env")
    for _, a in ipairs(args) do cmd[#cmd + 1] = a end
    local w = moonwasm(cmd)
    same_run("args_env", w, native("args_env", args, env))
    assert.truthy(w.out:find("argv[6] [-h]\n", 1, true))
    assert.truthy(w.out:find("getenv MW_GREETING [hello world]\n", 1, true))

    -- argv[0] names the program as given: wc's error message shows it.
    local dir = temp_dir()
    assert(os.execute(("cp %s %s/wc.wasm"):format(q(wasi_prog("wc")), q(dir))))
    w = moonwasm({"run", "--dir", ".", "wc.wasm", "missing.txt"}, {cwd = dir})
    assert.same({"", "wc.wasm: missing.txt: No such file or directory\n", 1},
                {w.out, w.err, w.status})
  end)

  it("inherits variables on request: --env NAME, --inherit-env", function()
    if not have_programs() then return end
    local prog = q(wasi_prog("args_env"))
    local lua = h.lua .. " " .. q(SCRIPT)
    local w = sh("MW_SPEC_X=from-host " .. lua .. " run --env MW_SPEC_X --env MW_SPEC_NONE " .. prog)
    assert.truthy(w.out:find("env [MW_SPEC_X=from-host]\nenvc 1\n", 1, true), w.out)
    w = sh("MW_SPEC_X=from-host " .. lua .. " run --inherit-env --env MW_SPEC_X=override " .. prog)
    assert.truthy(w.out:find("env [MW_SPEC_X=override]\n", 1, true), w.out)
    assert.truthy(w.out:find("env [PATH=", 1, true), w.out)
    assert.is_nil(w.out:find("from-host", 1, true))
    w = moonwasm({"run", wasi_prog("args_env")})
    assert.truthy(w.out:find("envc 0\n", 1, true))
  end)

  it("exits with the program's exit code", function()
    if not have_programs() then return end
    for _, case in ipairs{{"exit", "3"}, {"return", "5"}, {"return", "0"}, {"deep", "7"},
                          {"_Exit", "9"}, {"exit", "255"}, {"exit", "256"}, {"exit", "-1"}} do
      local w = moonwasm({"run", wasi_prog("exit"), case[1], case[2]})
      same_run(case[1] .. " " .. case[2], w, native("exit", case))
    end
    for _, prog in ipairs{"clocks", "random"} do
      local w = moonwasm({"run", wasi_prog(prog)})
      same_run(prog, w, native(prog, {}))
      assert.equal(0, w.status)
    end
  end)

  it("exits 134 when the program traps, as a native abort() does", function()
    if not have_programs() then return end
    local w = moonwasm({"run", wasi_prog("abort"), "oops"})
    local n = native("abort", {"oops"})
    assert.same({"", 134}, {n.out, n.status})
    assert.same({"", 134}, {w.out, w.status})
    assert.truthy(w.err:find("^oops: giving up\nmoonwasm: [^\n]*abort%.wasm: trap: unreachable\n"),
                  w.err)
    assert.equal(cli.EXIT_TRAP, 134)
  end)

  it("keeps the program inside its directories (escape.c)", function()
    if not have_programs() then return end
    local t = temp_dir()
    mkdir(t .. "/box/sub")
    mkdir(t .. "/outdir")
    write(t .. "/outside.txt", "secret")
    write(t .. "/box/inside.txt", "inside")
    local links = {{t .. "/outside.txt", "link_abs"}, {"../outside.txt", "link_rel"},
                   {"..", "link_up"}, {"../..", "sub/link_up2"}, {t, "link_abs_dir"},
                   {"loop_b", "loop_a"}, {"loop_a", "loop_b"}, {"inside.txt", "link_in"},
                   {"../inside.txt", "sub/link_in2"}, {"../created.txt", "dangle_host"},
                   {"..", "up_extra"}}
    for _, l in ipairs(links) do
      assert(os.execute(("ln -s %s %s"):format(q(l[1]), q(t .. "/box/" .. l[2]))))
    end
    -- Plain C file calls: absolute paths outside, "..", a symlink out.
    local w = moonwasm({"run", "--dir", ".", wasi_prog("wc"), "/etc/passwd", "../outside.txt",
                        "link_rel", "link_abs", "link_up/outside.txt"}, {cwd = t .. "/box"})
    assert.equal(1, w.status)
    assert.equal("      0       0       0 total\n", w.out)
    local lines = {}
    for l in w.err:gmatch("[^\n]+") do lines[#lines + 1] = l:gsub("^.-wc%.wasm: ", "") end
    assert.same({"/etc/passwd: No such file or directory",
                 "../outside.txt: Capabilities insufficient",
                 "link_rel: Capabilities insufficient",
                 "link_abs: Capabilities insufficient",
                 "link_up/outside.txt: Capabilities insufficient"}, lines)

    -- escape.c may change its box, nothing else.
    local function outside() return (tree(t):gsub("%./box/[^\n]*\n", "")) end
    local before = outside()
    w = moonwasm({"run", "--dir", t .. "/box::/sandbox", wasi_prog("escape"), t})
    assert.truthy(w.out:find("\n0 failures\n", 1, true), w.out)
    assert.is_nil(w.out:find("FAIL", 1, true), w.out)
    assert.equal(0, w.status)
    assert.equal(before, outside())
    assert.equal("./box dir\n./outdir dir\n./outside.txt file 6\n", outside())
    assert.equal("secret", read(t .. "/outside.txt"))
  end)

  it("preopens --dir directories as fds 3, 4, ... in the order given", function()
    if not have_programs() then return end
    local a, b = temp_dir(), temp_dir()
    local r = moonwasm({"run", "--dir", b .. "::/zz", "--dir", a .. "::/aa", "--dir", ".",
                        "--dir", b, wasi_prog("preopens")})
    assert.same({("fd 3: /zz\nfd 4: /aa\nfd 5: .\nfd 6: %s\n"):format(b), "", 0},
                {r.out, r.err, r.status})
  end)

  it("reports user mistakes on one line, exit status 2", function()
    if not have_programs() then return end
    local prog = wasi_prog("args_env")
    one_line_error(moonwasm({"run", "/nonexistent/prog.wasm"}), 2)
    one_line_error(moonwasm({"run"}), 2)
    one_line_error(moonwasm({"run", "--bogus", prog}), 2)
    one_line_error(moonwasm({"run", "--dir", "/nonexistent-dir", prog}), 2)
    one_line_error(moonwasm({"run", "--dir", ROOT .. "/Makefile", prog}), 2)
    one_line_error(moonwasm({"run", "--dir", ".", "--dir", ".", prog}), 2)
    one_line_error(moonwasm({"run", "--env", "=x", prog}), 2)
    local r = moonwasm({"run", h.fixture("lua_values")})
    one_line_error(r, 2)
    assert.truthy(r.err:find("not a WASI command", 1, true))
    local dir = temp_dir()
    write(dir .. "/junk.wasm", "not wasm at all")
    r = moonwasm({"run", dir .. "/junk.wasm"})
    one_line_error(r, 1)
    assert.truthy(r.err:find("malformed", 1, true))
  end)

  it("calls another export with --invoke, after a reactor's _initialize", function()
    if not have_wat2wasm then pending("needs wat2wasm") return end
    local dir = temp_dir()
    local reactor = wat(dir, "reactor", [[(module
      (import "wasi_snapshot_preview1" "fd_write" (func $write (param i32 i32 i32 i32) (result i32)))
      (memory (export "memory") 1)
      (global $base (mut i64) (i64.const 0))
      (data (i32.const 16) "init\n")
      (func (export "_initialize")
        (i32.store (i32.const 0) (i32.const 16))
        (i32.store (i32.const 4) (i32.const 5))
        (drop (call $write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
        (global.set $base (i64.const 100)))
      (func (export "add") (param i64) (result i64) (i64.add (global.get $base) (local.get 0))))]])
    local r = moonwasm({"run", "--invoke", "add", reactor, "-5"})
    assert.same({"init\n95\n", "", 0}, {r.out, r.err, r.status})
    r = moonwasm({"run", reactor})
    one_line_error(r, 2)
    assert.truthy(r.err:find("reactor", 1, true))
    one_line_error(moonwasm({"run", "--invoke", "nope", reactor}), 2)
    one_line_error(moonwasm({"run", "--invoke", "add", reactor}), 2)
  end)
end)

------------------------------------------------------------------------------
-- inspect
------------------------------------------------------------------------------

local INSPECTED = [[(module
  (import "env" "log" (func $log (param i32 i64) (result f32)))
  (import "env" "mem" (memory 1 4))
  (import "env" "g" (global (mut i32)))
  (table $t 2 10 funcref)
  (global $count (export "count") (mut i64) (i64.const 0))
  (func $init (global.set $count (i64.const 1)))
  (func $twice (export "twice") (param f64) (result f64 f64) (local.get 0) (local.get 0))
  (export "table" (table $t))
  (export "memory" (memory 0))
  (start $init))]]

describe("moonwasm inspect", function()
  local dir, path
  before_each(function()
    if not have_wat2wasm then pending("needs wat2wasm") return end
    dir = temp_dir()
    path = wat(dir, "inspected", INSPECTED)
  end)

  it("shows sections, imports, exports and definitions as text", function()
    if not have_wat2wasm then return end
    local r = moonwasm({"inspect", path})
    assert.same({"", 0}, {r.err, r.status})
    local out = r.out
    assert.truthy(out:find("^[^\n]*inspected%.wasm: %d+ bytes, binary version 1, valid\n"))
    for _, line in ipairs{
      'func 0    (import "env" "log" (func (param i32 i64) (result f32)))',
      'memory 0  (import "env" "mem" (memory 1 4))',
      'global 0  (import "env" "g" (global (mut i32)))',
      'global 1  (export "count" (global (mut i64)))',
      'func 2    (export "twice" (func (param f64) (result f64 f64)))',
      'table 0   (export "table" (table 2 10 funcref))',
      'memory 0  (export "memory" (memory 1 4))',
      "Functions: 3 (1 imported, 2 defined)",
      "table 0  (table 2 10 funcref)",
      'memory 0  (memory 1 4) imported from "env" "mem"',
      "Globals: 2 (1 imported, 1 defined)",
      'Start: func 1 "init"',
      '"name"', "Imports (3):", "Exports (4):",
    } do
      assert.truthy(out:find(line, 1, true), line .. "\n" .. out)
    end
    assert.truthy(out:find("\n%s+1%s+type%s+%d+%s+%d+%s+%d+\n"), out)
    assert.truthy(out:find("\n%s+8%s+start%s+%d+%s+%d+\n"), out)
  end)

  it("prints JSON with --json", function()
    if not have_wat2wasm then return end
    local r = moonwasm({"inspect", "--json", path})
    assert.same({"", 0}, {r.err, r.status})
    local d = cjson.decode(r.out)
    assert.equal(path, d.file)
    assert.is_true(d.valid)
    assert.equal(#read(path), d.size)
    assert.same({imported = 1, defined = 2, total = 3}, d.functions)
    assert.same({imported = 1, defined = 1, total = 2}, d.globals)
    assert.same({"env", "log", "func", 0}, {d.imports[1].module, d.imports[1].name,
                                            d.imports[1].kind, d.imports[1].index})
    assert.same({"i32", "i64"}, d.imports[1].type.params)
    assert.same({"f32"}, d.imports[1].type.results)
    assert.equal("(func (param i32 i64) (result f32))", d.imports[1].type.text)
    assert.same({min = 1, max = 4}, {min = d.imports[2].type.min, max = d.imports[2].type.max})
    assert.same({"count", "global", 1, "i64", true},
                {d.exports[1].name, d.exports[1].kind, d.exports[1].index,
                 d.exports[1].type.valtype, d.exports[1].type.mutable})
    assert.same({"f64", "f64"}, d.exports[2].type.results)
    assert.equal(1, d.start.index)
    assert.equal("init", d.start.name)
    assert.equal(1, #d.tables)
    assert.same({false, "funcref", 2, 10}, {d.tables[1].imported, d.tables[1].type.element,
                                            d.tables[1].type.min, d.tables[1].type.max})
    assert.is_true(d.memories[1].imported)
    assert.equal(1, #d.custom_sections)
    assert.equal("name", d.custom_sections[1].name)
    assert.equal(d.sections[#d.sections].size, d.custom_sections[1].size)
    local names = {}
    for i, s in ipairs(d.sections) do names[i] = s.name end
    assert.same({"type", "import", "function", "table", "global", "export", "start", "code",
                 "custom"}, names)
    assert.equal(0, d.sections[1].offset - 8 - 2)
    -- Empty lists stay lists.
    local empty = wat(dir, "empty", "(module)")
    assert.is_true(moonwasm({"inspect", "--json", empty}).out:find('"imports":[]', 1, true) ~= nil)
  end)

  it("exits 1 for an invalid or malformed module, 2 for a missing file", function()
    if not have_wat2wasm then return end
    local bad = dir .. "/invalid.wasm"
    -- (func (result i32)) with an empty body: type mismatch.
    write(bad, "\0asm\1\0\0\0" .. "\1\5\1\96\0\1\127" .. "\3\2\1\0" .. "\10\4\1\2\0\11")
    local r = moonwasm({"inspect", bad})
    assert.equal(1, r.status)
    assert.truthy(r.out:find("INVALID", 1, true))
    one_line_error(r, 1)
    r = moonwasm({"inspect", "--json", bad})
    assert.is_false(cjson.decode(r.out).valid)
    assert.truthy(cjson.decode(r.out).validation_error:find("^invalid: "))
    write(dir .. "/trunc.wasm", "\0asm\1\0\0\0\1\5\1")
    one_line_error(moonwasm({"inspect", dir .. "/trunc.wasm"}), 1)
    one_line_error(moonwasm({"inspect", dir .. "/none.wasm"}), 2)
  end)
end)

------------------------------------------------------------------------------
-- call
------------------------------------------------------------------------------

describe("moonwasm call", function()
  local path
  before_each(function()
    if not have_wat2wasm then pending("needs wat2wasm") return end
    path = wat(temp_dir(), "called", [[(module
      (memory (export "mem") 1)
      (func (export "sub") (param i32 i64) (result i64)
        (i64.sub (i64.extend_i32_s (local.get 0)) (local.get 1)))
      (func (export "i32") (param i32) (result i32) (local.get 0))
      (func (export "i64") (param i64) (result i64) (local.get 0))
      (func (export "f32") (param f32) (result f32) (local.get 0))
      (func (export "f64") (param f64) (result f64) (local.get 0))
      (func (export "swap") (param f32 f64) (result f64 f32) (local.get 1) (local.get 0))
      (func (export "nothing"))
      (func $boom (unreachable))
      (func (export "trap") (call $boom))
      (func (export "div") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1))))]])
  end)

  local function call(...)
    return moonwasm({"call", path, ...})
  end

  it("converts arguments exactly and prints one result per line", function()
    if not have_wat2wasm then return end
    local cases = {
      {{"sub", "-5", "-7"}, "2"},
      {{"i32", "4294967295"}, "-1"}, {{"i32", "0x80000000"}, "-2147483648"},
      {{"i32", "-0x10"}, "-16"}, {{"i32", "+7"}, "7"},
      {{"i64", "9223372036854775807"}, "9223372036854775807"},
      {{"i64", "-9223372036854775808"}, "-9223372036854775808"},
      {{"i64", "18446744073709551615"}, "-1"}, {{"i64", "0xFFFFFFFFFFFFFFFF"}, "-1"},
      {{"f32", "0.1"}, "0.1"}, {{"f32", "-0"}, "-0"}, {{"f32", "1e-45"}, "1e-45"},
      {{"f32", "3.4028235e38"}, "3.4028235e+38"}, {{"f32", "nan:0x200000"}, "nan:0x200000"},
      {{"f32", "-nan"}, "-nan"}, {{"f32", "inf"}, "inf"},
      {{"f64", "0.1"}, "0.1"}, {{"f64", "-0.0"}, "-0"}, {{"f64", "-inf"}, "-inf"},
      {{"f64", "NaN"}, "nan"}, {{"f64", "nan:0x1"}, "nan:0x1"}, {{"f64", "0x1p-2"}, "0.25"},
      {{"f64", "5e-324"}, "5e-324"}, {{"f64", "1.7976931348623157e308"}, "1.7976931348623157e+308"},
      {{"swap", "1.5", "2.25"}, "2.25\n1.5"}, {{"nothing"}, nil},
    }
    for _, case in ipairs(cases) do
      local r = call(table.unpack(case[1]))
      local want = case[2] and (case[2] .. "\n") or ""
      assert.same({want, "", 0}, {r.out, r.err, r.status}, table.concat(case[1], " "))
    end
  end)

  it("reports traps on stderr with exit status 134", function()
    if not have_wat2wasm then return end
    local r = call("trap")
    assert.same({"", 134}, {r.out, r.status})
    assert.truthy(r.err:find("^moonwasm: [^\n]*called%.wasm: trap: unreachable\n"), r.err)
    assert.truthy(r.err:find("boom", 1, true), r.err)
    r = call("div", "1", "0")
    assert.same({"", 134}, {r.out, r.status})
    assert.truthy(r.err:find("integer divide by zero", 1, true))
  end)

  it("explains bad calls on one line, exit status 2", function()
    if not have_wat2wasm then return end
    local function refused(text, ...)
      local r = call(...)
      one_line_error(r, 2)
      assert.truthy(r.err:find(text, 1, true), r.err)
    end
    refused('exports no function "nope" (its functions: div, f32, f64, i32, i64, nothing, ' ..
            'sub, swap, trap)', "nope")
    refused('the export "mem" is a memory, not a function', "mem")
    refused("sub takes 2 arguments (i32 i64), 1 given", "sub", "1")
    refused("nothing takes 0 arguments", "nothing", "1")
    refused('argument "1.5" is not an integer (parameter 1 of i32 has type i32)', "i32", "1.5")
    refused('argument "4294967296" is out of range', "i32", "4294967296")
    refused('argument "-9223372036854775809" is out of range', "i64", "-9223372036854775809")
    refused('argument "x" is not a number', "f64", "x")
    refused('argument "nan:0x0" has a NaN payload out of range', "f32", "nan:0x0")
    one_line_error(moonwasm({"call", path}), 2)
  end)
end)

------------------------------------------------------------------------------
-- help, version, argument handling
------------------------------------------------------------------------------

describe("moonwasm help", function()
  it("answers --help for the program and every command", function()
    for _, args in ipairs{{"--help"}, {"-h"}, {"run", "--help"}, {"inspect", "--help"},
                          {"call", "--help"}, {"wast", "--help"}} do
      local r = moonwasm(args)
      assert.equal(0, r.status, table.concat(args, " "))
      assert.equal("", r.err)
      assert.truthy(r.out:find("^Usage: moonwasm"), r.out)
    end
    local r = moonwasm({"--help"})
    for _, command in ipairs{"run", "inspect", "call", "wast"} do
      assert.truthy(r.out:find("\n   " .. command .. " "), command)
    end
    assert.truthy(moonwasm({"run", "--help"}).out:find("--dir HOST[::GUEST]", 1, true))
    r = moonwasm({"help", "call"})
    assert.same({"", 0}, {r.err, r.status})
    assert.truthy(r.out:find("^Usage: moonwasm call"))
    one_line_error(moonwasm({"help", "bogus"}), 2)
  end)

  it("takes `moonwasm FILE.wasm ARGS...` for `moonwasm run`", function()
    if not have_programs() then pending("needs `make wasi-progs`") return end
    local r = moonwasm({wasi_prog("exit"), "exit", "6"})
    assert.same({"exiting by exit with 6\natexit ran\n", "", 6}, {r.out, r.err, r.status})
  end)

  it("prints its version", function()
    local r = moonwasm({"--version"})
    assert.same({"", 0}, {r.err, r.status})
    assert.truthy(r.out:find("^moonwasm %d+%.%d+%.%d+ %(Lua 5%.4%)\n$"), r.out)
  end)

  it("asks for a command when given none, exit status 2", function()
    local r = moonwasm({})
    one_line_error(r, 2)
    assert.truthy(r.err:find("run, inspect, call or wast", 1, true))
    one_line_error(moonwasm({"frobnicate"}), 2)
  end)

  it("ends the options of run at the program and of call at the module", function()
    assert.same({"run", "--dir", ".", "--", "p.wasm", "-x", "--dir"},
                cli.mark_operands({"run", "--dir", ".", "p.wasm", "-x", "--dir"}))
    assert.same({"run", "--env=A=1", "--", "p.wasm"}, cli.mark_operands({"run", "--env=A=1", "p.wasm"}))
    assert.same({"run", "--", "p.wasm", "--", "x"}, cli.mark_operands({"run", "--", "p.wasm", "--", "x"}))
    assert.same({"call", "--", "m.wasm", "f", "-1"}, cli.mark_operands({"call", "m.wasm", "f", "-1"}))
    assert.same({"call", "--help"}, cli.mark_operands({"call", "--help"}))
    assert.same({"wast", "-q", "x.wast"}, cli.mark_operands({"wast", "-q", "x.wast"}))
  end)

  it("works when installed by luarocks, away from the source tree", function()
    -- A few seconds of compiling; MW_TEST_LUAROCKS=0 skips it.
    if os.getenv("MW_TEST_LUAROCKS") == "0" or
       not os.execute("command -v luarocks >/dev/null 2>&1") then
      pending("needs luarocks (and MW_TEST_LUAROCKS not 0)")
      return
    end
    -- luarocks builds in the source directory (src/*.o, moonwasm/core.so):
    -- give it a copy, and no sanitizer runtime to preload into the compiler.
    local copy, tree_dir = temp_dir(), temp_dir()
    assert(os.execute(("cd %s && cp -R src lua scripts moonwasm-scm-1.rockspec %s")
                      :format(q(ROOT), q(copy))))
    local build = sh("env -u LD_PRELOAD luarocks --lua-version 5.4 make --deps-mode=none " ..
                     "--tree " .. q(tree_dir) .. " moonwasm-scm-1.rockspec", {cwd = copy})
    assert.equal(0, build.status, build.out .. build.err)
    local r = sh(("env -u MW_LUA_BUILD -u LD_PRELOAD %s/bin/moonwasm --help"):format(q(tree_dir)),
                 {cwd = "/"})
    assert.equal(0, r.status, r.err)
    assert.truthy(r.out:find("^Usage: moonwasm"))
    -- The version comes from moonwasm.core: the tree's C module loads.
    r = sh(("env -u MW_LUA_BUILD -u LD_PRELOAD %s/bin/moonwasm --version"):format(q(tree_dir)),
           {cwd = "/"})
    assert.same({"", 0}, {r.err, r.status})
    assert.truthy(r.out:find("^moonwasm %d"), r.out)
  end)
end)
