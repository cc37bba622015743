-- Headless check of the documented Neovim setup against the real server:
-- opens a DTR file with a misspelt name and waits for the diagnostic that
-- `dtr lsp` publishes for it.
--
--   DTR_LSP_CMD=/path/to/dtr DTR_TEST_FILE=/tmp/typo.dtr \
--     nvim --headless -u NONE -c 'luafile editors/neovim/test/lsp_diagnostics.lua'
--
-- Prints "ok: ..." and exits 0, or prints "FAIL: ..." and exits 1.
local here = debug.getinfo(1, 'S').source:sub(2)
local plugin_dir = vim.fn.fnamemodify(here, ':p:h:h')

local function finish(ok, message)
  io.stdout:write((ok and 'ok: ' or 'FAIL: ') .. message .. '\n')
  vim.cmd(ok and 'qall!' or 'cquit! 1')
end

local ok, err = pcall(function()
  vim.opt.runtimepath:prepend(plugin_dir)
  vim.cmd('filetype plugin on')
  require('dtr').setup({ cmd = { os.getenv('DTR_LSP_CMD') or 'dtr', 'lsp' } })

  vim.cmd('edit ' .. vim.fn.fnameescape((assert(os.getenv('DTR_TEST_FILE'), 'DTR_TEST_FILE not set'))))
  assert(vim.bo.filetype == 'dtr', 'filetype is "' .. vim.bo.filetype .. '", not dtr')

  local arrived = vim.wait(30000, function()
    return #vim.diagnostic.get(0) > 0
  end, 50)
  assert(arrived, 'no diagnostic within 30 s; clients: ' .. #vim.lsp.get_active_clients())

  local lines = {}
  local found = false
  for _, d in ipairs(vim.diagnostic.get(0)) do
    local code = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code) or '?'
    table.insert(lines, string.format('%d:%d %s %s', d.lnum + 1, d.col + 1, code, d.message))
    if code == 'E0002' and d.severity == vim.diagnostic.severity.ERROR then
      found = true
    end
  end
  assert(found, 'no E0002 error among: ' .. table.concat(lines, ' | '))
  return table.concat(lines, ' | ')
end)

finish(ok, tostring(err))
