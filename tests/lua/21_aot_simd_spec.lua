-- SIMD in AOT code (issue 13): every SIMD and relaxed SIMD instruction,
-- translated inside functions with scalar signatures (the shape compilers
-- give vector loops), gives the interpreter's results bit for bit on inputs
-- with NaNs, infinities, signed zeros and lane extremes; traps the same.
-- (The interpreter's lanes are checked against the spec's own files,
-- 19_simd_spec and the simd_*.wast suites.)
package.path = debug.getinfo(1, "S").source:match("^@(.*/)") .. "?.lua;" .. package.path
local h = require("helpers")
local wasm = h.wasm
local aot = require("moonwasm.aot")

local cache = os.getenv("MW_AOT_CACHE") or (h.root .. "/build/aot-cache")

local un = {"v128.not", "f32x4.demote_f64x2_zero", "f64x2.promote_low_f32x4", "i8x16.abs",
  "i8x16.neg", "i8x16.popcnt", "f32x4.ceil", "f32x4.floor", "f32x4.trunc", "f32x4.nearest",
  "f64x2.ceil", "f64x2.floor", "f64x2.trunc", "i16x8.extadd_pairwise_i8x16_s",
  "i16x8.extadd_pairwise_i8x16_u", "i32x4.extadd_pairwise_i16x8_s",
  "i32x4.extadd_pairwise_i16x8_u", "i16x8.abs", "i16x8.neg", "i16x8.extend_low_i8x16_s",
  "i16x8.extend_high_i8x16_s", "i16x8.extend_low_i8x16_u", "i16x8.extend_high_i8x16_u",
  "f64x2.nearest", "i32x4.abs", "i32x4.neg", "i32x4.extend_low_i16x8_s",
  "i32x4.extend_high_i16x8_s", "i32x4.extend_low_i16x8_u", "i32x4.extend_high_i16x8_u",
  "i64x2.abs", "i64x2.neg", "i64x2.extend_low_i32x4_s", "i64x2.extend_high_i32x4_s",
  "i64x2.extend_low_i32x4_u", "i64x2.extend_high_i32x4_u", "f32x4.abs", "f32x4.neg",
  "f32x4.sqrt", "f64x2.abs", "f64x2.neg", "f64x2.sqrt", "i32x4.trunc_sat_f32x4_s",
  "i32x4.trunc_sat_f32x4_u", "f32x4.convert_i32x4_s", "f32x4.convert_i32x4_u",
  "i32x4.trunc_sat_f64x2_s_zero", "i32x4.trunc_sat_f64x2_u_zero", "f64x2.convert_low_i32x4_s",
  "f64x2.convert_low_i32x4_u", "i32x4.relaxed_trunc_f32x4_s", "i32x4.relaxed_trunc_f32x4_u",
  "i32x4.relaxed_trunc_f64x2_s_zero", "i32x4.relaxed_trunc_f64x2_u_zero"}
local bin = {"i8x16.swizzle", "i8x16.eq", "i8x16.ne", "i8x16.lt_s", "i8x16.lt_u", "i8x16.gt_s",
  "i8x16.gt_u", "i8x16.le_s", "i8x16.le_u", "i8x16.ge_s", "i8x16.ge_u", "i16x8.eq", "i16x8.ne",
  "i16x8.lt_s", "i16x8.lt_u", "i16x8.gt_s", "i16x8.gt_u", "i16x8.le_s", "i16x8.le_u",
  "i16x8.ge_s", "i16x8.ge_u", "i32x4.eq", "i32x4.ne", "i32x4.lt_s", "i32x4.lt_u", "i32x4.gt_s",
  "i32x4.gt_u", "i32x4.le_s", "i32x4.le_u", "i32x4.ge_s", "i32x4.ge_u", "f32x4.eq", "f32x4.ne",
  "f32x4.lt", "f32x4.gt", "f32x4.le", "f32x4.ge", "f64x2.eq", "f64x2.ne", "f64x2.lt", "f64x2.gt",
  "f64x2.le", "f64x2.ge", "v128.and", "v128.andnot", "v128.or", "v128.xor",
  "i8x16.narrow_i16x8_s", "i8x16.narrow_i16x8_u", "i8x16.add", "i8x16.add_sat_s",
  "i8x16.add_sat_u", "i8x16.sub", "i8x16.sub_sat_s", "i8x16.sub_sat_u", "i8x16.min_s",
  "i8x16.min_u", "i8x16.max_s", "i8x16.max_u", "i8x16.avgr_u", "i16x8.q15mulr_sat_s",
  "i16x8.narrow_i32x4_s", "i16x8.narrow_i32x4_u", "i16x8.add", "i16x8.add_sat_s",
  "i16x8.add_sat_u", "i16x8.sub", "i16x8.sub_sat_s", "i16x8.sub_sat_u", "i16x8.mul",
  "i16x8.min_s", "i16x8.min_u", "i16x8.max_s", "i16x8.max_u", "i16x8.avgr_u",
  "i16x8.extmul_low_i8x16_s", "i16x8.extmul_high_i8x16_s", "i16x8.extmul_low_i8x16_u",
  "i16x8.extmul_high_i8x16_u", "i32x4.add", "i32x4.sub", "i32x4.mul", "i32x4.min_s",
  "i32x4.min_u", "i32x4.max_s", "i32x4.max_u", "i32x4.dot_i16x8_s", "i32x4.extmul_low_i16x8_s",
  "i32x4.extmul_high_i16x8_s", "i32x4.extmul_low_i16x8_u", "i32x4.extmul_high_i16x8_u",
  "i64x2.add", "i64x2.sub", "i64x2.mul", "i64x2.eq", "i64x2.ne", "i64x2.lt_s", "i64x2.gt_s",
  "i64x2.le_s", "i64x2.ge_s", "i64x2.extmul_low_i32x4_s", "i64x2.extmul_high_i32x4_s",
  "i64x2.extmul_low_i32x4_u", "i64x2.extmul_high_i32x4_u", "f32x4.add", "f32x4.sub",
  "f32x4.mul", "f32x4.div", "f32x4.min", "f32x4.max", "f32x4.pmin", "f32x4.pmax", "f64x2.add",
  "f64x2.sub", "f64x2.mul", "f64x2.div", "f64x2.min", "f64x2.max", "f64x2.pmin", "f64x2.pmax",
  "i8x16.relaxed_swizzle", "f32x4.relaxed_min", "f32x4.relaxed_max", "f64x2.relaxed_min",
  "f64x2.relaxed_max", "i16x8.relaxed_q15mulr_s", "i16x8.relaxed_dot_i8x16_i7x16_s"}
local tern = {"v128.bitselect", "f32x4.relaxed_madd", "f32x4.relaxed_nmadd",
  "f64x2.relaxed_madd", "f64x2.relaxed_nmadd", "i8x16.relaxed_laneselect",
  "i16x8.relaxed_laneselect", "i32x4.relaxed_laneselect", "i64x2.relaxed_laneselect",
  "i32x4.relaxed_dot_i8x16_i7x16_add_s"}
local shifts = {"i8x16.shl", "i8x16.shr_s", "i8x16.shr_u", "i16x8.shl", "i16x8.shr_s",
  "i16x8.shr_u", "i32x4.shl", "i32x4.shr_s", "i32x4.shr_u", "i64x2.shl", "i64x2.shr_s",
  "i64x2.shr_u"}
local tests = {"v128.any_true", "i8x16.all_true", "i8x16.bitmask", "i16x8.all_true",
  "i16x8.bitmask", "i32x4.all_true", "i32x4.bitmask", "i64x2.all_true", "i64x2.bitmask"}

-- Functions take addresses of their operands in memory (16 bytes each) and
-- store the result at address 0; the test reads it back.
local function module_text()
  local f = {'(module (memory (export "mem") 1)'}
  local function add(s) f[#f + 1] = s end
  local ld = "(v128.load (local.get %d))"
  for i, op in ipairs(un) do
    add(('(func (export "u%d") (param i32) (v128.store (i32.const 0) (%s %s)))'):format(i, op, ld:format(0)))
  end
  for i, op in ipairs(bin) do
    add(('(func (export "b%d") (param i32 i32) (v128.store (i32.const 0) (%s %s %s)))')
        :format(i, op, ld:format(0), ld:format(1)))
  end
  for i, op in ipairs(tern) do
    add(('(func (export "t%d") (param i32 i32 i32) (v128.store (i32.const 0) (%s %s %s %s)))')
        :format(i, op, ld:format(0), ld:format(1), ld:format(2)))
  end
  for i, op in ipairs(shifts) do
    add(('(func (export "s%d") (param i32 i32) (v128.store (i32.const 0) (%s %s (local.get 1))))')
        :format(i, op, ld:format(0)))
  end
  for i, op in ipairs(tests) do
    add(('(func (export "q%d") (param i32) (result i32) (%s %s))'):format(i, op, ld:format(0)))
  end
  -- lanes, splats, loads and stores of every shape, shuffle, const, select
  add([[
  (func (export "lanes") (param i32) (result i64)
    (local v128)
    (local.set 1 (v128.load (local.get 0)))
    (i64.add
      (i64.add (i64.extend_i32_s (i8x16.extract_lane_s 3 (local.get 1)))
               (i64.extend_i32_u (i8x16.extract_lane_u 15 (local.get 1))))
      (i64.add
        (i64.add (i64.extend_i32_s (i16x8.extract_lane_s 5 (local.get 1)))
                 (i64.extend_i32_u (i16x8.extract_lane_u 7 (local.get 1))))
        (i64.add (i64.extend_i32_u (i32x4.extract_lane 2 (local.get 1)))
                 (i64x2.extract_lane 1 (local.get 1))))))
  (func (export "flanes") (param i32) (result f32 f64)
    (f32x4.extract_lane 3 (v128.load (local.get 0)))
    (f64x2.extract_lane 0 (v128.load (local.get 0))))
  (func (export "replace") (param i32 i32 i64 f32 f64)
    (v128.store (i32.const 0)
      (f64x2.replace_lane 1
        (f32x4.replace_lane 0
          (i64x2.replace_lane 0
            (i32x4.replace_lane 3
              (i16x8.replace_lane 2
                (i8x16.replace_lane 9 (v128.load (local.get 0)) (local.get 1))
                (local.get 1))
              (local.get 1))
            (local.get 2))
          (local.get 3))
        (local.get 4))))
  (func (export "splats") (param i32 i64 f32 f64)
    (v128.store (i32.const 0) (i8x16.splat (local.get 0)))
    (v128.store (i32.const 16) (i16x8.splat (local.get 0)))
    (v128.store (i32.const 32) (i32x4.splat (local.get 0)))
    (v128.store (i32.const 48) (i64x2.splat (local.get 1)))
    (v128.store (i32.const 64) (f32x4.splat (local.get 2)))
    (v128.store (i32.const 80) (f64x2.splat (local.get 3))))
  (func (export "loads") (param i32)
    (v128.store (i32.const 0) (v128.load8x8_s (local.get 0)))
    (v128.store (i32.const 16) (v128.load8x8_u offset=1 (local.get 0)))
    (v128.store (i32.const 32) (v128.load16x4_s offset=2 (local.get 0)))
    (v128.store (i32.const 48) (v128.load16x4_u offset=3 (local.get 0)))
    (v128.store (i32.const 64) (v128.load32x2_s offset=4 (local.get 0)))
    (v128.store (i32.const 80) (v128.load32x2_u offset=5 (local.get 0)))
    (v128.store (i32.const 96) (v128.load8_splat offset=6 (local.get 0)))
    (v128.store (i32.const 112) (v128.load16_splat offset=7 (local.get 0)))
    (v128.store (i32.const 128) (v128.load32_splat offset=8 (local.get 0)))
    (v128.store (i32.const 144) (v128.load64_splat offset=9 (local.get 0)))
    (v128.store (i32.const 160) (v128.load32_zero offset=10 (local.get 0)))
    (v128.store (i32.const 176) (v128.load64_zero offset=11 (local.get 0))))
  (func (export "lane_mem") (param i32)
    (local v128)
    (local.set 1 (v128.const i32x4 0x01020304 0x05060708 0x090a0b0c 0x0d0e0f10))
    (local.set 1 (v128.load8_lane 1 (local.get 0) (local.get 1)))
    (local.set 1 (v128.load16_lane offset=3 2 (local.get 0) (local.get 1)))
    (local.set 1 (v128.load32_lane offset=5 3 (local.get 0) (local.get 1)))
    (local.set 1 (v128.load64_lane offset=7 0 (local.get 0) (local.get 1)))
    (v128.store (i32.const 0) (local.get 1))
    (v128.store8_lane 5 (i32.const 16) (local.get 1))
    (v128.store16_lane offset=1 3 (i32.const 20) (local.get 1))
    (v128.store32_lane offset=2 1 (i32.const 24) (local.get 1))
    (v128.store64_lane offset=3 1 (i32.const 32) (local.get 1)))
  (func (export "shuffle") (param i32 i32 i32)
    (v128.store (i32.const 0)
      (select
        (i8x16.shuffle 0 17 2 19 4 21 31 30 8 9 10 11 12 13 14 15
          (v128.load (local.get 0)) (v128.load (local.get 1)))
        (i8x16.shuffle 16 16 16 16 0 0 0 0 31 31 31 31 15 15 15 15
          (v128.load (local.get 0)) (v128.load (local.get 1)))
        (local.get 2))))
  (func (export "blocks") (param i32 i32) (result i32)
    (i32x4.extract_lane 1
      (block (result v128)
        (if (result v128) (local.get 1)
          (then (v128.load (local.get 0)))
          (else (loop (result v128) (v128.const i64x2 -1 7)))))))
  (func (export "oob") (param i32) (result i32)
    (i32x4.extract_lane 0 (v128.load offset=65530 (local.get 0))))
  (func (export "oob_store") (param i32)
    (v128.store64_lane 1 (local.get 0) (v128.const i64x2 1 2)))
)]])
  return table.concat(f, "\n")
end

-- Operand patterns: lane extremes, NaNs (with payloads), infinities,
-- signed zeros, halves, large and small floats.
local patterns = {
  string.rep("\0", 16),
  string.rep("\255", 16),
  string.pack("<i4i4i4i4", 0x7fffffff, -0x80000000, 1, -1),
  string.pack("<i2i2i2i2i2i2i2i2", 32767, -32768, 0x4000, -0x4000, 255, -255, 1, 0),
  string.pack("<I4I4I4I4", 0x7fc00000, 0xffa00001, 0x7f800000, 0x80000000),
  string.pack("<ff", 0, 0) .. string.pack("<ff", 2.5, -3.5),
  string.pack("<ff", 4294967296.0, -2147483904.0) .. string.pack("<ff", 1e-40, 0.49999997),
  string.pack("<dd", 0/0, -0.0),
  string.pack("<dd", 1/0, -4503599627370497.5),
  string.pack("<dd", 2147483647.5, -2147483649.0),
  "\0\1\2\3\4\5\6\7\8\9\10\11\12\13\14\15",
  "\16\31\32\127\128\129\200\250\255\17\18\3\33\34\64\15",
}

local function instances()
  local src = module_text()
  local mi, mn = wasm.load(src), wasm.load(src)
  local n = wasm.compile(mn, {cache = cache})
  return wasm.instantiate(mi).exports, wasm.instantiate(mn).exports, n
end

describe("SIMD in AOT code", function()
  local ie, ne, nnative
  setup(function() ie, ne, nnative = instances() end)

  local function bits(t) -- floats as their bits (NaN ~= NaN)
    local b = {}
    for k, v in pairs(t) do b[k] = math.type(v) == "float" and string.pack("<d", v) or v end
    return b
  end
  local function same(name, ...)
    local ri = {pcall(ie[name], ...)}
    local rn = {pcall(ne[name], ...)}
    if ri[1] then assert.same(bits(ri), bits(rn), name) else assert.same(ri, rn, name) end
    assert.equal(ie.mem:read(0, 192), ne.mem:read(0, 192), name)
    return ri
  end
  -- relaxed madd/nmadd: fma's NaN results are any NaN (the spec's
  -- nondeterminism; libm and the C compiler pick the sign of a negated NaN
  -- operand differently): NaN lanes compare as NaN, the rest bit for bit.
  local function same_fma(name, fmt, ...)
    ie[name](...)
    ne[name](...)
    local a = {string.unpack(fmt, ie.mem:read(0, 16))}
    local b = {string.unpack(fmt, ne.mem:read(0, 16))}
    for k = 1, #a - 1 do
      if a[k] ~= a[k] then
        assert.is_true(b[k] ~= b[k], name)
      else
        assert.equal(string.pack(fmt:sub(1, 2), a[k]), string.pack(fmt:sub(1, 2), b[k]), name)
      end
    end
  end
  local fma_fmt = {[2] = "<ffff", [3] = "<ffff", [4] = "<dd", [5] = "<dd"}
  local function put(e, at, s) e.mem:write(at, s) end
  local function both(at, s) put(ie, at, s); put(ne, at, s) end

  it("translates every function natively", function()
    -- all exported functions: none is left to the interpreter
    assert.equal(#un + #bin + #tern + #shifts + #tests + 10, nnative)
  end)

  it("unary, binary, ternary and test instructions give the interpreter's bits", function()
    for a = 1, #patterns do
      both(1024, patterns[a])
      for i = 1, #un do same("u" .. i, 1024) end
      for i = 1, #tests do same("q" .. i, 1024) end
      for i = 1, #shifts do
        for _, n in ipairs{0, 1, 7, 8, 15, 31, 33, 63, 64, -1} do same("s" .. i, 1024, n) end
      end
      for b = 1, #patterns do
        both(2048, patterns[b])
        for i = 1, #bin do
          -- A float operation on NaN operands returns a NaN whose payload
          -- the spec leaves open: which operand's NaN wins depends on how
          -- the C compiler ordered a commutative operation (it differs
          -- between the sanitized interpreter and native code).
          local fmt = bin[i]:match("^f32x4%.") and "<ffff" or bin[i]:match("^f64x2%.") and "<dd"
          if fmt then same_fma("b" .. i, fmt, 1024, 2048) else same("b" .. i, 1024, 2048) end
        end
        both(3072, patterns[(a + b) % #patterns + 1])
        for i = 1, #tern do
          if fma_fmt[i] then
            same_fma("t" .. i, fma_fmt[i], 1024, 2048, 3072)
          else
            same("t" .. i, 1024, 2048, 3072)
          end
        end
      end
    end
  end)

  it("lanes, splats, loads, stores, shuffles and v128 blocks", function()
    both(1024, patterns[12] .. patterns[3] .. patterns[5])
    for _, at in ipairs{1024, 1025, 1031, 1040} do
      same("lanes", at)
      same("flanes", at)
      same("loads", at)
      same("lane_mem", at)
      same("replace", at, -123456789, 0x123456789abcdef, -1.5, 1e300)
      same("shuffle", at, at + 16, 0)
      same("shuffle", at, at + 16, 1)
      same("blocks", at, 0)
      same("blocks", at, 1)
    end
    same("splats", 0x80, -2, 0/0, -0.0)
    same("splats", 0x1234567, math.mininteger, 1.25, 1/0)
  end)

  it("traps out of bounds with the interpreter's message and backtrace", function()
    for _, at in ipairs{0, 5, 6, 7, 65535} do
      local ri = same("oob", at)
      if at > 5 then assert.equal("out of bounds memory access", ri[2].message) end
      assert.equal(tostring(select(2, pcall(ie.oob, at))), tostring(select(2, pcall(ne.oob, at))))
    end
    for _, at in ipairs{65528, 65529, 0xffffffff} do same("oob_store", at) end
    local ok, err = pcall(ne.oob_store, 65529)
    assert.is_false(ok)
    assert.equal("out of bounds memory access", err.message)
  end)
end)
