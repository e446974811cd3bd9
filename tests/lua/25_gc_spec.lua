-- Wasm 3.0 garbage collection (issue 12): GC references crossing the Lua
-- API (moonwasm.GCRef), staying alive while Lua holds them, the extern/any
-- round trip, type checks at the boundary, the spec's trap messages, and
-- the store's collector (collect_garbage, gc_stats).
package.path = debug.getinfo(1, "S").source:match("^@(.*/)") .. "?.lua;" .. package.path
local h = require("helpers")
local wasm = h.wasm

local src = [[
  (module
    (type $s (struct (field (mut i32)) (field (ref null $s))))
    (type $a (array (mut i8)))
    (func (export "make") (param i32) (result (ref $s))
      (struct.new $s (local.get 0) (ref.null $s)))
    (func (export "link") (param (ref $s) (ref null $s)) (result (ref $s))
      (struct.new $s (i32.add (struct.get $s 0 (local.get 0)) (i32.const 1)) (local.get 1)))
    (func (export "get") (param (ref null $s)) (result i32)
      (struct.get $s 0 (local.get 0)))
    (func (export "next") (param (ref $s)) (result (ref null $s))
      (struct.get $s 1 (local.get 0)))
    (func (export "bytes") (param i32) (result (ref $a))
      (array.new $a (i32.const 7) (local.get 0)))
    (func (export "byte") (param (ref $a) i32) (result i32)
      (array.get_u $a (local.get 0) (local.get 1)))
    (func (export "i31") (param i32) (result i31ref) (ref.i31 (local.get 0)))
    (func (export "same") (param eqref eqref) (result i32)
      (ref.eq (local.get 0) (local.get 1)))
    (func (export "as_s") (param anyref) (result (ref $s))
      (ref.cast (ref $s) (local.get 0)))
    (func (export "in") (param externref) (result anyref) (any.convert_extern (local.get 0)))
    (func (export "out") (param anyref) (result externref) (extern.convert_any (local.get 0)))
    (func (export "churn") (param $n i32)
      (loop $l
        (drop (struct.new $s (local.get $n) (ref.null $s)))
        (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1))))))
  )
]]

local function instance()
  local store = wasm.store()
  local inst = store:instantiate(wasm.load(wasm.wat(src)))
  return store, inst.exports
end

describe("GC references in Lua", function()
  it("are opaque GCRef values that go back into wasm", function()
    local _, e = instance()
    local s = e.make(41)
    assert.equal("userdata", type(s))
    assert.equal("struct", s:kind())
    assert.truthy(tostring(s):match("^struct: "))
    assert.equal(41, e.get(s))
    local t = e.link(s, s)
    assert.equal(42, e.get(t))
    assert.equal(s, e.next(t))           -- the same object: == is ref.eq
    assert.is_nil(e.next(s))             -- a null field is nil
    local a = e.bytes(3)
    assert.equal("array", a:kind())
    assert.equal(7, e.byte(a, 2))
  end)

  it("compare as ref.eq does, i31 by value", function()
    local _, e = instance()
    local x, y = e.make(1), e.make(1)
    assert.are_not.equal(x, y)
    assert.equal(0, e.same(x, y))
    assert.equal(1, e.same(x, x))
    local i = e.i31(-5)
    assert.equal("i31", i:kind())
    assert.equal(0x7FFFFFFB - 0x80000000, i:i31()) -- low 31 bits, signed
    assert.equal(e.i31(7), e.i31(7))
    assert.equal("i31 7", tostring(e.i31(7)))
    assert.equal(1, e.same(e.i31(7), e.i31(7)))
  end)

  it("stay alive while Lua holds them, through collections", function()
    local store, e = instance()
    local keep = {}
    for i = 1, 50 do keep[i] = e.make(i) end
    e.churn(200000) -- about 8 MB of garbage: the collector runs
    assert.is_true(store:collect_garbage())
    local st = store:gc_stats()
    assert.is_true(st.collections >= 2)
    assert.equal(50, st.live_objects)
    for i = 1, 50 do assert.equal(i, e.get(keep[i])) end
    -- dropped by Lua, they go at the next collection
    keep = nil
    h.gc()
    assert.is_true(store:collect_garbage())
    assert.equal(0, store:gc_stats().live_objects)
  end)

  it("round-trip through extern and any as the spec requires", function()
    local _, e = instance()
    local host = {}
    -- a Lua value becomes an anyref and comes back as itself
    assert.is_true(rawequal(host, e["in"](host)))
    assert.is_true(rawequal(host, e.out(e["in"](host))))
    -- an object becomes an externref and comes back as the same object
    local s = e.make(9)
    local x = e.out(s)
    assert.equal(s, x)
    assert.equal(9, e.get(e.as_s(e["in"](x))))
    -- an i31 too
    assert.equal(e.i31(3), e["in"](e.out(e.i31(3))))
    assert.is_nil(e["in"](nil))
  end)

  it("are checked against the parameter type before any wasm runs", function()
    local _, e = instance()
    h.raises("usage", "argument 1: expected (ref null 0), got a reference of another type",
             e.get, e.bytes(1))
    h.raises("usage", "argument 1: expected (ref 0), got a reference of another type",
             e.link, {}, nil)
    h.raises("usage", "argument 1: expected a non-null reference, got nil", e.next, nil)
    local _, other = instance()
    h.raises("usage", "GC reference of another store", e.get, other.make(1))
  end)

  it("trap with the spec's messages", function()
    local _, e = instance()
    h.raises("trap", "null structure reference", e.get, nil)
    h.raises("trap", "out of bounds array access", e.byte, e.bytes(2), 2)
    h.raises("trap", "cast failure", e.as_s, e.bytes(1))
    h.raises("trap", "cast failure", e.as_s, {})
  end)

  it("outlive a closed store without harm", function()
    local store, e = instance()
    local s = e.make(1)
    store:close()
    h.raises("usage", "closed store", e.get, s)
    s = nil
    h.gc()
  end)
end)

describe("GC in constant expressions", function()
  it("initializes globals and element segments with objects", function()
    local inst = wasm.instantiate(wasm.load(wasm.wat [[
      (module
        (type $s (struct (field i32)))
        (type $a (array i32))
        (global $g (ref $s) (struct.new $s (i32.const 5)))
        (global $h (ref $a) (array.new_fixed $a 3 (i32.const 1) (i32.const 2) (i32.const 3)))
        (table $t 2 anyref)
        (elem (table $t) (i32.const 0) anyref (item (ref.i31 (i32.const 8))) (item (global.get $g)))
        (func (export "sum") (result i32)
          (i32.add (struct.get $s 0 (global.get $g))
            (i32.add (array.get $a (global.get $h) (i32.const 2))
              (i31.get_s (ref.cast i31ref (table.get $t (i32.const 0))))))))
    ]]))
    assert.equal(5 + 3 + 8, inst.exports.sum())
  end)
end)

describe("v128 fields in constant expressions", function()
  it("keep all 16 bytes (struct.new, array.new, array.new_fixed, global.get)", function()
    local x = wasm.instantiate(wasm.wat [[(module
      (type $s (struct (field v128) (field i32)))
      (type $a (array v128))
      (global $v v128 (v128.const i32x4 5 6 7 8))
      (global $gs (ref $s) (struct.new $s (v128.const i32x4 1 2 3 4) (i32.const 9)))
      (global $gf (ref $a) (array.new_fixed $a 2 (v128.const i32x4 1 2 3 4) (global.get $v)))
      (global $gn (ref $a) (array.new $a (global.get $v) (i32.const 3)))
      (func (export "s") (result i32 i32)
        (i32x4.extract_lane 3 (struct.get $s 0 (global.get $gs))) (struct.get $s 1 (global.get $gs)))
      (func (export "f") (param i32) (result i32)
        (i32x4.extract_lane 3 (array.get $a (global.get $gf) (local.get 0))))
      (func (export "n") (param i32) (result i32)
        (i32x4.extract_lane 2 (array.get $a (global.get $gn) (local.get 0)))))]]).exports
    assert.same({4, 9}, {x.s()})
    assert.same({4, 8}, {x.f(0), x.f(1)})
    assert.same({7, 7}, {x.n(0), x.n(2)})
  end)
end)
