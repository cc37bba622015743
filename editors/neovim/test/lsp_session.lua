-- Headless check of the documented Neovim setup against the real server.
-- It opens an example in which a name is misspelt and checks, in order:
-- the E0002 diagnostic arrives; fixing the name in the buffer (no save)
-- clears it; the gap lens of the threat appears; hover on an actor shows its
-- label; completion after `expect narva: ` offers actors and outcomes.
--
--   DTR_LSP_CMD=/path/to/dtr DTR_TEST_FILE=/tmp/baltic-typo.dtr \
--     nvim --headless -u NONE -c 'luafile editors/neovim/test/lsp_session.lua'
--
-- The file must contain `RUS attacks ETS`, a `threat RUS -> […EST…]`,
-- `actor USA "United States"` and a scenario `narva`. Prints "ok: …" and
-- exits 0, or prints "FAIL: …" and exits 1.
local here = debug.getinfo(1, 'S').source:sub(2)
local plugin_dir = vim.fn.fnamemodify(here, ':p:h:h')
local TIMEOUT = 30000

local function finish(ok, message)
  io.stdout:write((ok and 'ok: ' or 'FAIL: ') .. message .. '\n')
  vim.cmd(ok and 'qall!' or 'cquit! 1')
end

local function find_line(pattern)
  for i, line in ipairs(vim.api.nvim_buf_get_lines(0, 0, -1, false)) do
    local col = line:find(pattern)
    if col then
      return i, col, line
    end
  end
  error('no line matches ' .. pattern)
end

local function request(method, row, col)
  vim.api.nvim_win_set_cursor(0, { row, col })
  local responses = vim.lsp.buf_request_sync(0, method, vim.lsp.util.make_position_params(), TIMEOUT)
  for _, response in pairs(responses or {}) do
    if response.result then
      return response.result
    end
  end
  error(method .. ': no result')
end

local function describe(diagnostics)
  local lines = {}
  for _, d in ipairs(diagnostics) do
    local code = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code) or '?'
    table.insert(lines, string.format('%d:%d %s %s', d.lnum + 1, d.col + 1, code, d.message:gsub('\n.*', '')))
  end
  return table.concat(lines, ' | ')
end

local ok, err = pcall(function()
  vim.opt.runtimepath:prepend(plugin_dir)
  vim.cmd('filetype plugin on')
  require('dtr').setup({ cmd = { os.getenv('DTR_LSP_CMD') or 'dtr', 'lsp' } })

  vim.cmd('edit ' .. vim.fn.fnameescape((assert(os.getenv('DTR_TEST_FILE'), 'DTR_TEST_FILE not set'))))
  assert(vim.bo.filetype == 'dtr', 'filetype is "' .. vim.bo.filetype .. '", not dtr')
  local report = {}

  -- 1. The diagnostic of the misspelt name.
  local errors = { severity = vim.diagnostic.severity.ERROR }
  assert(vim.wait(TIMEOUT, function()
    return #vim.diagnostic.get(0, errors) > 0
  end, 50), 'no diagnostic within the timeout; clients: ' .. #vim.lsp.get_active_clients())
  local found = describe(vim.diagnostic.get(0, errors))
  assert(found:find('E0002'), 'no E0002 among: ' .. found)
  table.insert(report, found)

  -- 2. Live: fixing the buffer clears it.
  local row, _, line = find_line('RUS attacks ETS')
  vim.api.nvim_buf_set_lines(0, row - 1, row, false, { (line:gsub('ETS', 'EST')) })
  assert(vim.wait(TIMEOUT, function()
    return #vim.diagnostic.get(0, errors) == 0
  end, 50), 'errors left after the fix: ' .. describe(vim.diagnostic.get(0, errors)))

  -- 3. The gap lens above the threat.
  local threat_row = find_line('^threat RUS')
  local lens_title = nil
  assert(vim.wait(TIMEOUT, function()
    vim.lsp.codelens.refresh()
    vim.wait(200)
    for _, lens in ipairs(vim.lsp.codelens.get(0) or {}) do
      local title = lens.command and lens.command.title or ''
      if lens.range.start.line + 1 == threat_row and title:find('RUS → EST') then
        lens_title = title
        return true
      end
    end
    return false
  end, 100), 'no code lens for RUS → EST on line ' .. threat_row)
  assert(lens_title:find(' gap') or lens_title:find(' ok'), 'the lens gives no verdict: ' .. lens_title)
  table.insert(report, 'lens "' .. lens_title .. '"')

  -- 4. Hover on an actor's name.
  local actor_row, actor_col = find_line('^actor USA')
  local hover = request('textDocument/hover', actor_row, actor_col + 6)
  local text = type(hover.contents) == 'table' and (hover.contents.value or vim.inspect(hover.contents))
    or tostring(hover.contents)
  assert(text:find('United States'), 'hover on USA: ' .. text)
  table.insert(report, 'hover on USA')

  -- 5. Completion in an expectation.
  local last = vim.api.nvim_buf_line_count(0)
  vim.api.nvim_buf_set_lines(0, last, last, false, { 'expect narva: ' })
  local completion = request('textDocument/completion', last + 1, 14)
  local labels = {}
  for _, item in ipairs(completion.items or completion) do
    labels[item.label] = true
  end
  assert(labels.USA and labels.reaches, 'completion after "expect narva: " lacks USA or reaches')
  table.insert(report, 'completion offers USA and reaches')

  return table.concat(report, '; ')
end)

finish(ok, tostring(err))
