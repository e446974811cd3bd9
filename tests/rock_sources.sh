#!/usr/bin/env bash
# tests/rock_sources.sh -- the rockspec builds and installs every source.
#
#   bash tests/rock_sources.sh          static checks (a fraction of a second; in `make test`)
#   bash tests/rock_sources.sh --full   also runs `luarocks make` into a temporary
#                                       tree and checks that the source tree is left
#                                       exactly as it was (`make test-rock`, ~20 s)
#
# Static checks: moonwasm-scm-1.rockspec is the "make" type driven by
# scripts/rock.mk; the C files rock.mk compiles are exactly the tracked
# src/*/*.c (git ls-files, or the glob outside a git checkout); every
# lua/moonwasm/*.lua is in the rockspec's install.lua under its module name;
# the `moonwasm` command is installed; moonwasm.core links -lm and -ldl.
# Prints `N passed, N failed` last, like every suite of `make test`.
set -u
cd "$(dirname "$0")/.." || exit 1
LUA=${LUA:-lua5.4}
pass=0
fail=0
ok()  { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }

expected_c() {
  if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    git ls-files 'src/*/*.c' | grep -E '^src/[^/]+/[^/]+\.c$' | sort
  else
    printf '%s\n' src/*/*.c | sort
  fi
}
# rock.mk's list, with extra make arguments (the self-check below uses them).
rock_c() { MAKEFLAGS= make -s --no-print-directory -f scripts/rock.mk "$@" print-sources | sort; }

# 1. Every C source is compiled into moonwasm.core, and nothing else.
missing=$(comm -23 <(expected_c) <(rock_c))
extra=$(comm -13 <(expected_c) <(rock_c))
if [ -z "$missing" ]; then ok; else bad "rock.mk does not compile:" $missing; fi
if [ -z "$extra" ]; then ok; else bad "rock.mk compiles untracked files:" $extra; fi
n=$(rock_c | wc -l)
if [ "$n" -ge 40 ]; then ok; else bad "rock.mk lists only $n C files"; fi

# 2. The comparison above can fail: drop one layer and it must notice.
if [ -n "$(comm -23 <(expected_c) <(rock_c ROCK_LAYERS='runtime wasi text lua'))" ]; then
  ok
else
  bad "dropping src/aot from rock.mk went unnoticed"
fi

# 3. The rockspec itself: type, makefile, Lua modules, command.
out=$("$LUA" - <<'LUAEOF' 2>&1
local env = {}
local chunk, err = loadfile("moonwasm-scm-1.rockspec", "t", env)
if not chunk then print("FAIL: " .. err) os.exit(0) end
chunk()
local b = env.build or {}
local function check(cond, msg) print((cond and "ok: " or "FAIL: ") .. msg) end
check(b.type == "make", "build.type is \"make\" (got " .. tostring(b.type) .. ")")
check(b.makefile == "scripts/rock.mk", "build.makefile is scripts/rock.mk")
check(b.build_pass == false and b.install_target == "install", "all the work is in rock.mk's install pass")
local iv = b.install_variables or {}
check(iv.LIBDIR == "$(LIBDIR)" and iv.CFLAGS == "$(CFLAGS)", "install_variables pass LIBDIR and CFLAGS")
local lua = (b.install or {}).lua or {}
local listed = {}
for mod, path in pairs(lua) do
  listed[path] = true
  local want = path:match("^lua/moonwasm/(.+)%.lua$")
  want = want and (want == "init" and "moonwasm" or "moonwasm." .. want:gsub("/", "."))
  check(want == mod, ("install.lua[%q] = %q"):format(mod, path))
  local f = io.open(path) check(f ~= nil, path .. " exists") if f then f:close() end
end
local p = io.popen("ls lua/moonwasm/*.lua")
for path in p:lines() do check(listed[path], path .. " is in install.lua") end
p:close()
check(((b.install or {}).bin or {}).moonwasm == "scripts/moonwasm", "install.bin.moonwasm = scripts/moonwasm")
LUAEOF
)
while IFS= read -r line; do
  case $line in
    ok:*) ok ;;
    FAIL:*) bad "${line#FAIL: }" ;;
    *) bad "rockspec check: $line" ;;
  esac
done <<< "$out"

# 4. The link line has libm and libdl (the AOT loader calls dlopen).
libs=$(MAKEFLAGS= make -s --no-print-directory -f scripts/rock.mk -p print-sources 2>/dev/null | grep -E '^ROCK_LIBS (:|\?)?= ')
case $libs in *-lm*) ok ;; *) bad "rock.mk does not link -lm: $libs" ;; esac
case $libs in *-ldl*) ok ;; *) bad "rock.mk does not link -ldl: $libs" ;; esac

# 5. --full: the real thing.
if [ "${1:-}" = "--full" ]; then
  if ! command -v luarocks >/dev/null; then
    bad "luarocks not found (scripts/install-deps.sh installs it)"
  else
    tree=$(mktemp -d "${TMPDIR:-/tmp}/moonwasm-rocktree.XXXXXX")
    trap 'rm -rf "$tree"' EXIT
    before=$(git status --porcelain --ignored)
    if luarocks --lua-version 5.4 make --deps-mode=none --tree "$tree" >"$tree/log" 2>&1; then
      ok
    else
      bad "luarocks make failed:"; tail -20 "$tree/log"
    fi
    after=$(git status --porcelain --ignored)
    if [ "$before" = "$after" ]; then ok; else
      bad "luarocks make changed the source tree:"; diff <(echo "$before") <(echo "$after")
    fi
    if [ -f "$tree/lib/lua/5.4/moonwasm/core.so" ]; then ok; else bad "no moonwasm/core.so installed"; fi
    # From outside the source tree, with only the installed tree on the paths.
    got=$(cd "$tree" && "$LUA" -e '
      package.path = "'"$tree"'/share/lua/5.4/?.lua;'"$tree"'/share/lua/5.4/?/init.lua;" .. package.path
      package.cpath = "'"$tree"'/lib/lua/5.4/?.so;" .. package.cpath
      local w = require "moonwasm"
      local b = w.wat("(module (func (export \"add\") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add))")
      local inst = w.store():instantiate(w.load(b))
      io.write(package.searchpath("moonwasm.core", package.cpath), " ", inst.exports.add(2, 40))' 2>&1)
    if [ "$got" = "$tree/lib/lua/5.4/moonwasm/core.so 42" ]; then ok; else bad "installed module: $got"; fi
  fi
fi

echo "rock_sources: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
