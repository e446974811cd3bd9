-- SIMD from Lua: v128 values are 16-byte strings; wasm.v128 / wasm.lanes
-- build and read them; they cross every boundary (params, results,
-- globals, host functions, memory) bit for bit.
package.path = debug.getinfo(1, "S").source:match("^@(.*/)") .. "?.lua;" .. package.path
local h = require("helpers")
local wasm = h.wasm

local v128, lanes = wasm.v128, wasm.lanes

local function fixture_bytes(name)
  local f = assert(io.open(h.fixture(name), "rb"))
  local b = f:read("a")
  f:close()
  return b
end

local function env(twice)
  return {env = {
    twice = wasm.func({"v128"}, {"v128"}, twice or function(v)
      local a, b, c, d = lanes(v, "i32x4")
      return v128("i32x4", 2 * a, 2 * b, 2 * c, 2 * d)
    end),
    g = wasm.global("v128", v128("i16x8", 1, -1, 2, -2, 3, -3, 4, -4)),
  }}
end

describe("wasm.v128 and wasm.lanes", function()
  it("build 16-byte strings, lane 0 first, little-endian", function()
    assert.equal("\1\0\0\0\2\0\0\0\3\0\0\0\4\0\0\0", v128("i32x4", 1, 2, 3, 4))
    assert.equal(string.rep("\255", 16), v128("i8x16", -1, 255, -1, 255, -1, 255, -1, 255,
                                                -1, 255, -1, 255, -1, 255, -1, 255))
    assert.equal("\0\0\128\63" .. string.rep("\0", 12), v128("f32x4", 1.0, 0, 0, 0))
    assert.equal(string.rep("\0", 8) .. "\0\0\0\0\0\0\240\63", v128("f64x2", 0, 1.0))
  end)

  it("read lanes signed (iNxM), unsigned (uNxM) or as floats", function()
    local v = v128("i32x4", 1, -2, 3, -4)
    assert.same({1, -2, 3, -4}, {lanes(v, "i32x4")})
    assert.same({1, 4294967294, 3, 4294967292}, {lanes(v, "u32x4")})
    assert.same({1, 0, -2, -1, 3, 0, -4, -1}, {lanes(v, "i16x8")})
    -- lane 0 is 1 | -2 << 32, lane 1 is 3 | -4 << 32
    assert.same({-8589934591, -17179869181}, {lanes(v, "i64x2")})
    local b = {lanes(v128("i8x16", -127, 127, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 384), "u8x16")}
    assert.same({0x81, 0x7F, 0x80}, {b[1], b[2], b[16]})
    assert.same({1.5, -0.25}, {lanes(v128("f64x2", 1.5, -0.25), "f64x2")})
  end)

  it("keep the exact bits of f32 NaNs, signalling ones included", function()
    local v = v128("i32x4", 0x7FA00001, 0xFFC00000, 0x7F800001, 0x3F800000)
    local a, b, c, d = lanes(v, "f32x4")
    assert.is_true(a ~= a and b ~= b and c ~= c)
    assert.equal(1.0, d)
    assert.equal(v, v128("f32x4", a, b, c, d))
  end)

  it("refuse bad shapes, counts and lane values", function()
    h.raises("usage", "unknown lane shape 'i32x8'", v128, "i32x8", 1)
    h.raises("usage", "i32x4 takes 4 lane values, got 3", v128, "i32x4", 1, 2, 3)
    h.raises("usage", "lane 1: expected an integer", v128, "i32x4", 1, 2.5, 3, 4)
    h.raises("usage", "lane 0: expected a number", v128, "f64x2", "x", 1)
    h.raises("usage", "expected a 16-byte string, got 3 bytes", lanes, "abc", "i8x16")
  end)
end)

describe("a module using v128", function()
  local inst = h.instantiate("simd_basics", env())
  local e = inst.exports

  it("takes and returns v128 strings", function()
    local r = e.add(v128("i32x4", 1, 2, 3, 4), v128("i32x4", 10, 20, 30, -4))
    assert.same({11, 22, 33, 0}, {lanes(r, "i32x4")})
  end)

  it("lays v128 and scalar params and results out side by side", function()
    local r, last = e.mix(v128("i32x4", 1, 2, 3, 4), 3, v128("i32x4", 1, 1, 1, 1))
    assert.same({2, 5, 8, 11}, {lanes(r, "i32x4")})
    assert.equal(12, last)
  end)

  it("calls host functions with v128 params and results", function()
    assert.same({2, -4, 6, 8}, {lanes(e.via_host(v128("i32x4", 1, -2, 3, 4)), "i32x4")})
  end)

  it("reads and writes v128 globals, from wasm and from Lua", function()
    local old = e.bump(v128("i32x4", 10, 10, 10, 10))
    assert.same({1, 2, 3, 4}, {lanes(old, "i32x4")})
    local g = inst.exports.g
    assert.same({11, 12, 13, 14}, {lanes(g:get(), "i32x4")})
    g:set(v128("i64x2", -1, 7))
    assert.same({-1, 7}, {lanes(g:get(), "i64x2")})
    assert.same({1, -1, 2, -2, 3, -3, 4, -4}, {lanes(inst.exports.copy:get(), "i16x8")})
  end)

  it("branches and selects with v128 values", function()
    local a, b = v128("i32x4", 1, 1, 1, 1), v128("i32x4", 2, 2, 2, 2)
    assert.equal(a, e.pick(1, a, b))
    assert.equal(b, e.pick(0, a, b))
    assert.equal(a, e.select(a, b, 7))
    assert.equal(b, e.select(a, b, 0))
  end)

  it("stores and loads memory, trapping out of bounds", function()
    local v = v128("i8x16", 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15)
    assert.equal(v, e.roundtrip(100, v))
    assert.equal(v, inst:memory():read(116, 16))
    h.raises("trap", "out of bounds memory access", e.roundtrip, 65536 - 31, v)
    inst:memory():write(0, "\1\2\3\4")
    assert.same({0, 0, 0x04030201, 0}, {lanes(e.load_lane(0, string.rep("\0", 16)), "i32x4")})
  end)

  it("passes v128 through recursive calls", function()
    assert.equal(10, e.hsum(v128("i32x4", 1, 2, 3, 4), 4))
  end)

  it("follows the spec on NaN, -0 and saturation", function()
    local r = e.fmin(v128("f32x4", 0.0, -0.0, 0 / 0, 1), v128("f32x4", -0.0, 0.0, 1, 2))
    local bits = {lanes(r, "u32x4")}
    assert.same({0x80000000, 0x80000000}, {bits[1], bits[2]})
    assert.equal(0x7FC00000, bits[3] & 0x7FC00000)
    assert.equal(0x3F800000, bits[4])
    assert.same({2147483647, -2147483648, 0, -3},
                {lanes(e.trunc_sat(v128("f32x4", 1e10, -1e10, 0 / 0, -3.9)), "i32x4")})
  end)

  it("runs relaxed SIMD with the documented choice (fused madd)", function()
    -- (1 + 2^-23) * (1 - 2^-23) - 1 = -2^-46 exactly only when fused
    local x, y = 1 + 2 ^ -23, 1 - 2 ^ -23
    local r = e.madd(v128("f32x4", x, x, x, x), v128("f32x4", y, y, y, y),
                     v128("f32x4", -1, -1, -1, -1))
    assert.equal(-(2 ^ -46), (lanes(r, "f32x4")))
  end)

  it("rejects a wrong argument with a clear error", function()
    h.raises("usage", "v128 (a 16-byte string)", e.add, "short", v128("i32x4", 0, 0, 0, 0))
    h.raises("usage", "v128 (a 16-byte string)", e.add, 1, v128("i32x4", 0, 0, 0, 0))
  end)

  it("reports v128 in types", function()
    local t = e.mix:type()
    assert.same({"v128", "i32", "v128"}, t.params)
    assert.same({"v128", "i32"}, t.results)
  end)
end)

describe("features", function()
  it("simd = false refuses v128, naming SIMD and the byte offset", function()
    local cfg = wasm.config{features = {simd = false}}
    local bytes = fixture_bytes("simd_basics")
    local err = h.error_of(wasm.load, bytes, cfg)
    assert.is_true(wasm.is_error(err, "malformed"), tostring(err))
    assert.matches("^malformed value type %(v128 at byte offset %d+: SIMD is not enabled%)$",
                   err.message)
  end)

  it("relaxed_simd = false refuses relaxed instructions by name", function()
    local cfg = wasm.config{features = {relaxed_simd = false}}
    local bytes = fixture_bytes("simd_basics")
    local err = h.error_of(wasm.load, bytes, cfg)
    assert.matches("illegal opcode %(f32x4.relaxed_madd at byte offset %d+: relaxed SIMD is not enabled%)",
                   err.message)
  end)
end)

describe("a C program built with -msimd128", function()
  -- tests/wasi/simd_lanes.c: intrinsics and vectorized loops in wasm, the
  -- same computations in plain C natively; the outputs must be equal.
  local wasm_dir = os.getenv("MW_WASI_DIR") or "build/wasi"
  local native_dir = os.getenv("MW_WASI_NATIVE_DIR") or "build/wasi-native"

  it("prints what its native build prints", function()
    local f = assert(io.open(wasm_dir .. "/simd_lanes.wasm", "rb"))
    local bytes = f:read("a")
    f:close()
    local out = {}
    local wasi = wasm.wasi{stdin = false, stdout = function(s) out[#out + 1] = s end,
                           stderr = false}
    local store = wasm.store()
    store:register(wasi)
    assert.equal(0, wasi:start(store:instantiate(wasm.load(bytes))))
    local p = assert(io.popen(native_dir .. "/simd_lanes"))
    local native = p:read("a")
    p:close()
    assert.truthy(native:find("^round 0\n"))
    assert.equal(native, table.concat(out))
  end)
end)
