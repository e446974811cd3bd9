-- The examples run as a user would run them (lua5.4 examples/NN.lua from
-- the repository root) and print what they demonstrate.
package.path = debug.getinfo(1, "S").source:match("^@(.*/)") .. "?.lua;" .. package.path
local h = require("helpers")

local function example(file, expected)
  it(file, function()
    local out, status = h.run_example("examples/" .. file)
    assert.equal(0, status, out)
    for _, line in ipairs(expected) do
      assert.truthy(out:find(line, 1, true), ("missing %q in:\n%s"):format(line, out))
    end
  end)
end

describe("examples", function()
  example("01_host_function.lua", {
    '(import "env" "add" (func (param i32 i32) (result i32)))',
    "host add(1, 2)", "run() = 3"})
  example("02_logging.lua", {
    "[guest log] 42", "add(40, 2) = 42", "add(4294967295, 2) = 1",
    "the host saw 2 log calls: 42, 1"})
  example("03_host_memory.lua", {
    "host read(100000, 2) -> 2", "calc(DATA, 20) = 22",
    "after the host changed the data: calc(DATA, 20) = 60",
    "peek(DATA + 3) = 3", "after memory:grow(1): calc(DATA, 1) = 41"})
  example("04_strings.lua", {
    "guest says: Hello from C!", 'shout("hello, lua") = "HELLO, LUA!"',
    'shout("wasm strings") = "WASM STRINGS!"'})
  example("05_fibonacci.lua", {
    "fib (func (param i32) (result i32))", "fib64 (func (param i32) (result i64))",
    "fib(0..10) = 0 1 1 2 3 5 8 13 21 34 55", "fib(25) = 75025",
    "fib64(90) = 2880067194370816120"})
  example("06_host_data.lua", {
    "a.run(5) = 5", "b.run(3) = 3", "a.run(2) = 7",
    "counter a was called 7 times, counter b 3 times"})
  example("07_statistics.lua", {
    "fib(20) = 6765", "fib64(50) = 12586269025", "with a budget of 100000: fib(15) = 610",
    "fib(30): exhaustion: cost limit exceeded", "after reset_statistics: fib(10) = 55"})
  example("08_scheduler.lua", {
    "[ 15 ms] guest 1: running sum 15", "[ 55 ms] guest 0 finished: total 45",
    "[ 80 ms] guest 1 finished: total 90", "[120 ms] guest 2 finished: total 135",
    "all guests done at 120 ms (virtual)"})
end)
