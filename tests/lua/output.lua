-- A busted output handler: busted's plain terminal output, then the line
-- scripts/run-tests.sh adds up: `lua: N passed, N failed, N skipped`
-- (errors count as failures).
--   busted -o tests/lua/output.lua tests/lua
return function(options)
  local busted = require("busted")
  local handler = require("busted.outputHandlers.plainTerminal")(options)
  busted.subscribe({"suite", "end"}, function()
    io.write(string.format("lua: %d passed, %d failed, %d skipped\n",
                           handler.successesCount,
                           handler.failuresCount + handler.errorsCount,
                           handler.pendingsCount))
    io.flush()
    return nil, true
  end)
  return handler
end
