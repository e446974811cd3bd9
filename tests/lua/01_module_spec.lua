-- Modules: load, load_file, validate, imports, exports, custom sections,
-- types as wat-like tables.
package.path = debug.getinfo(1, "S").source:match("^@(.*/)") .. "?.lua;" .. package.path
local h = require("helpers")
local wasm = h.wasm

-- (func (result i32)) with an empty body: decodes, does not validate
local INVALID = h.module_bytes("\1\5\1\96\0\1\127", "\3\2\1\0", "\10\4\1\2\0\11")

describe("wasm.load", function()
  it("decodes a binary and returns a Module", function()
    local f = assert(io.open(h.fixture("lua_values"), "rb"))
    local mod = wasm.load(f:read("a"))
    f:close()
    assert.equal("moonwasm.Module", getmetatable(mod))
    assert.matches("^moonwasm.Module: ", tostring(mod))
  end)

  it("accepts the empty module", function()
    local mod = wasm.load(h.module_bytes())
    assert.same({}, mod:imports())
    assert.same({}, mod:exports())
  end)

  it("raises 'malformed' with the spec's wording", function()
    h.raises("malformed", "magic header not detected", wasm.load, "nope")
    h.raises("malformed", "unknown binary version", wasm.load, "\0asm\2\0\0\0")
    h.raises("malformed", "unexpected end", wasm.load, "\0asm\1\0")
  end)

  it("refuses non-strings with a usage error", function()
    h.raises("usage", "expected a string of bytes", wasm.load, nil)
    h.raises("usage", "expected a string of bytes", wasm.load, 42)
  end)
end)

describe("wasm.load_file", function()
  it("reads a file", function()
    local mod = wasm.load_file(h.fixture("lua_math"))
    assert.equal(2, #mod:exports())
  end)

  it("raises a usage error for a missing file", function()
    h.raises("usage", "cannot open", wasm.load_file, "/nonexistent/x.wasm")
    h.raises("usage", "expected a path", wasm.load_file, {})
  end)
end)

describe("mod:validate", function()
  it("returns the module when valid", function()
    local mod = h.load("lua_values")
    assert.equal(mod, mod:validate())
    assert.equal(mod, mod:validate()) -- twice is fine
  end)

  it("raises 'invalid' with the spec's wording", function()
    local mod = wasm.load(INVALID)
    h.raises("invalid", "type mismatch", mod.validate, mod)
    h.raises("invalid", "type mismatch", mod.validate, mod) -- same result again
  end)

  it("is implied by instantiate", function()
    h.raises("invalid", "type mismatch", wasm.instantiate, wasm.load(INVALID))
  end)
end)

describe("mod:imports", function()
  it("lists imports in order with full types", function()
    local imps = h.load("lua_link"):imports()
    assert.equal(4, #imps)
    assert.same({module = "env", name = "f", kind = "func"},
                {module = imps[1].module, name = imps[1].name, kind = imps[1].kind})
    assert.same({"i32"}, imps[1].type.params)
    assert.same({"i32"}, imps[1].type.results)
    assert.equal("memory", imps[2].kind)
    assert.equal(1, imps[2].type.min)
    assert.is_nil(imps[2].type.max)
    assert.equal("funcref", imps[3].type.element)
    assert.equal("i32", imps[4].type.type)
    assert.is_true(imps[4].type.mutable)
  end)

  it("prints types and entries like wat", function()
    local imps = h.load("lua_link"):imports()
    assert.equal("(func (param i32) (result i32))", tostring(imps[1].type))
    assert.equal("(memory 1)", tostring(imps[2].type))
    assert.equal("(table 2 funcref)", tostring(imps[3].type))
    assert.equal("(global (mut i32))", tostring(imps[4].type))
    assert.equal('(import "env" "f" (func (param i32) (result i32)))', tostring(imps[1]))
  end)
end)

describe("mod:exports", function()
  local exps = h.load("lua_values"):exports()
  local by_name = {}
  for _, e in ipairs(exps) do by_name[e.name] = e end

  it("lists exports in order", function()
    assert.equal("id_i32", exps[1].name)
    assert.equal("func", exps[1].kind)
  end)

  it("gives each kind its type", function()
    assert.equal("(func (param i32 i32) (result i32))", tostring(by_name.add_i32.type))
    assert.equal("(func (param i32 i64) (result i64 i32))", tostring(by_name.swap.type))
    assert.equal("(func)", tostring(by_name.nothing.type))
    assert.equal("(memory 1 3)", tostring(by_name.memory.type))
    assert.equal("(table 2 10 funcref)", tostring(by_name.table.type))
    assert.equal("(global (mut i32))", tostring(by_name.g_i32.type))
    assert.equal("(global i64)", tostring(by_name.g_i64.type))
    assert.equal('(export "memory" (memory 1 3))', tostring(by_name.memory))
  end)

  it("types compare by value", function()
    local inst = h.instantiate("lua_values")
    assert.equal(by_name.add_i32.type, inst.exports.add_i32:type())
    assert.are_not.equal(by_name.add_i32.type, inst.exports.swap:type())
  end)
end)

describe("mod:custom_sections", function()
  it("lists custom sections with their bytes", function()
    local secs = h.load("lua_values"):custom_sections()
    local names = {}
    for _, s in ipairs(secs) do names[s.name] = s.data end
    assert.is_string(names.name) -- wat2wasm --debug-names
    local mod = wasm.load(h.module_bytes("\0\8\4note\1\2\3"))
    assert.same({{name = "note", data = "\1\2\3"}}, mod:custom_sections())
  end)
end)

describe("mod:func_name", function()
  it("reads the name section", function()
    local mod = h.load("lua_values")
    assert.equal("div", mod:func_name(12))
    assert.is_nil(mod:func_name(9999))
    assert.is_nil(mod:func_name(-1))
  end)
end)

describe("mod:close", function()
  it("makes later use a usage error, and instances keep working", function()
    local mod = h.load("lua_math")
    local inst = wasm.instantiate(mod)
    mod:close()
    mod:close() -- twice is fine
    h.raises("usage", "attempt to use a closed module", mod.exports, mod)
    h.raises("usage", "attempt to use a closed module", wasm.instantiate, mod)
    assert.equal(8, inst.exports.double(4))
  end)

  it("works with <close>", function()
    local outer
    do
      local mod <close> = h.load("lua_math")
      outer = mod
    end
    h.raises("usage", "closed module", outer.imports, outer)
  end)

  it("rejects a wrong self", function()
    local mod = h.load("lua_math")
    assert.has_error(function() mod.exports({}) end)
    assert.has_error(function() mod.validate(nil) end)
  end)
end)
