-- The lean validator (src/runtime/validate_fast.c) through the Lua API:
-- a module of SIMD lane and shuffle instructions, table and bulk-memory
-- instructions is judged at load and compiled on first call, and gives
-- the same values and the same load errors as eager compiling
-- (config.eager_compile).
package.path = debug.getinfo(1, "S").source:match("^@(.*/)") .. "?.lua;" .. package.path
local h = require("helpers")
local wasm = h.wasm

local BYTES = wasm.wat[[
(module
  (memory 1)
  (data $d "\10\20\30\40")
  (table $t 2 funcref)
  (elem $e func $lane)
  (func $lane (export "lane") (param i32) (result i32)
    (i8x16.extract_lane_u 5
      (i8x16.shuffle 0 1 2 3 4 21 6 7 8 9 10 11 12 13 14 15
        (v128.const i64x2 0 0) (i8x16.splat (local.get 0)))))
  (func (export "via_table") (param i32) (result i32)
    (table.init $t $e (i32.const 1) (i32.const 0) (i32.const 1))
    (call_indirect (param i32) (result i32) (local.get 0) (i32.const 1)))
  (func (export "bytes") (result i32)
    (memory.init $d (i32.const 8) (i32.const 1) (i32.const 3))
    (v128.store32_lane 1 (i32.const 32)
      (v128.load32_lane 1 (i32.const 8) (v128.const i64x2 0 0)))
    (i32.load (i32.const 32)))
)]]

for _, mode in ipairs {"lazy", "eager"} do
  local config = wasm.config{eager_compile = mode == "eager" or nil}

  describe("lean validator (" .. mode .. " compile)", function()
    it("runs SIMD lanes, tables and memory.init compiled on first call", function()
      local inst = wasm.store(config):instantiate(wasm.load(BYTES, config))
      assert.equal(200, inst.exports.lane(200))
      assert.equal(7, inst.exports.via_table(7))
      assert.equal(0x403020, inst.exports.bytes())
    end)

    it("rejects a lane index out of range with the spec's message", function()
      local bad = wasm.wat[[(module
        (func (export "ok") (result i32) (i32.const 1))
        (func $never (result i32) (i32x4.extract_lane 4 (v128.const i64x2 0 0))))]]
      h.raises("invalid", "invalid lane index", function() wasm.load(bad, config):validate() end)
    end)

    it("rejects table.copy between tables of other element types", function()
      local bad = wasm.wat[[(module (table 1 funcref) (table 1 externref)
        (func (table.copy 1 0 (i32.const 0) (i32.const 0) (i32.const 0))))]]
      h.raises("invalid", "type mismatch", function() wasm.load(bad, config):validate() end)
    end)
  end)
end
