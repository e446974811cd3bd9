-- Memory views that survive memory.grow, C and length-prefixed strings,
-- and strings passed through a guest's allocator (issue 14).
package.path = debug.getinfo(1, "S").source:match("^@(.*/)") .. "?.lua;" .. package.path
local h = require("helpers")
local wasm = h.wasm

describe("mem:view()", function()
  it("stays valid across memory.grow and checks its own bounds", function()
    local mem = wasm.memory{min = 1, max = 100}
    local v = mem:view(100, 16)
    assert.equal(16, #v)
    v:write(0, "abcd")
    v:set_i32(4, -2)
    for _ = 1, 20 do assert(mem:grow(4)) end -- the data may move
    assert.equal("abcd", v:read(0, 4))
    assert.equal(-2, v:get_i32(4))
    assert.equal(0xFFFFFFFE, v:get_u32(4))
    assert.equal("abcd", mem:read(100, 4))
    h.raises("trap", "out of bounds memory access", v.read, v, 10, 7)
    h.raises("trap", "out of bounds memory access", v.get_i64, v, 12)
    h.raises("trap", "out of bounds memory access", mem.view, mem, 65536 * 81 - 3, 4)
    local sub = v:sub(2, 4)
    assert.equal("cd", sub:read(0, 2))
    v:fill(0x41)
    assert.equal(string.rep("A", 16), v:read())
  end)
end)

describe("strings in memory", function()
  it("reads and writes NUL-terminated strings", function()
    local mem = wasm.memory{min = 1}
    assert.equal(6, mem:write_cstring(10, "hello"))
    assert.equal("hello", mem:read_cstring(10))
    assert.equal("", mem:read_cstring(15))
    assert.equal("hel", mem:view(10, 3):read(0))
    mem:fill(65536 - 4, 0x61, 4) -- no NUL before the end
    h.raises("trap", "out of bounds memory access", mem.read_cstring, mem, 65536 - 4)
    h.raises("usage", "NUL", mem.write_cstring, mem, 0, "a\0b")
  end)

  it("reads and writes length-prefixed strings", function()
    local mem = wasm.memory{min = 1}
    assert.equal(4 + 5, mem:write_lstring(0, "bytes"))
    assert.equal("\5\0\0\0bytes", mem:read(0, 9))
    assert.equal("bytes", mem:read_lstring(0))
    assert.equal(1 + 3, mem:write_lstring(100, "abc", 1))
    assert.equal("abc", mem:read_lstring(100, 1))
    h.raises("usage", "do not fit", mem.write_lstring, mem, 0, string.rep("x", 256), 1)
    mem:write(200, "\255\255\0\0")
    h.raises("trap", "out of bounds memory access", mem.read_lstring, mem, 200)
  end)
end)

describe("wasm.guest()", function()
  local inst
  before_each(function()
    inst = wasm.instantiate(h.load("guest_alloc"))
  end)

  it("passes strings in through malloc and frees them after the call", function()
    local g = wasm.guest(inst)
    assert.equal(104 + 101 + 108 + 108 + 111, g:call("checksum", "hello"))
    assert.equal(1, inst.exports.frees:get())
    local p, n = g:put("\1\2\3")
    assert.equal(3, n)
    assert.equal(6, inst.exports.checksum(p, n))
    assert.equal("\1\2\3", g:take(p, n))
    assert.equal(2, inst.exports.frees:get())
  end)

  it("reads strings out, and works through cabi_realloc alone", function()
    local g = wasm.guest(inst, {malloc = "nope", free = "nope"})
    assert.equal("hello from wasm", g:take_cstring(inst.exports.greet(), true))
    local p = g:put_cstring("xyz")
    assert.equal("xyz", inst:memory():read_cstring(p))
    assert.equal(0, inst.exports.frees:get())
    h.raises("usage", "exports no", wasm.guest, inst, {malloc = "a", realloc = "b"})
  end)
end)
