-- Headless check of the documented Neovim setup against the real server.
-- It opens an example in which a name is misspelt and checks, in order:
-- the E0002 diagnostic arrives; fixing the name in the buffer (no save)
-- clears it; the gap lens of the threat appears (the server asks for it);
-- running lenses as `<leader>cl` does opens the report and shows how the
-- scenario's expectations fare, and its escalation graph (the lens and
-- :DtrEscalation write the HTML page and open it); an error removes the
-- lenses and formatting
-- brings them back, both without a save; hover on an actor shows its
-- label; document highlight on a scenario marks its declaration and uses;
-- inlay hints give each expectation's computed value; the semantic tokens
-- type `RUS` in `threat RUS` as an actor; completion after
-- `expect narva: ` offers actors and outcomes.
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
  local opened = {}
  require('dtr').setup({
    cmd = { os.getenv('DTR_LSP_CMD') or 'dtr', 'lsp' },
    open = function(path)
      table.insert(opened, path)
    end,
  })

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

  -- 3. The gap lens above the threat, fetched when the server asks.
  local function lenses_on(row)
    local found = {}
    for _, lens in ipairs(vim.lsp.codelens.get(0) or {}) do
      if lens.range.start.line + 1 == row then
        table.insert(found, lens)
      end
    end
    return found
  end
  local function shown_lenses()
    local ns = vim.api.nvim_get_namespaces()['vim_lsp_codelens:' .. vim.lsp.get_active_clients()[1].id]
    return ns and #vim.api.nvim_buf_get_extmarks(0, ns, 0, -1, {}) or 0
  end
  local threat_row = find_line('^threat RUS')
  local lens_title = nil
  assert(vim.wait(TIMEOUT, function()
    for _, lens in ipairs(lenses_on(threat_row)) do
      local title = lens.command and lens.command.title or ''
      if title:find('RUS → EST') then
        lens_title = title
        return shown_lenses() > 0
      end
    end
    return false
  end, 50), 'no code lens for RUS → EST on line ' .. threat_row)
  assert(lens_title:find(' gap') or lens_title:find(' ok'), 'the lens gives no verdict: ' .. lens_title)
  table.insert(report, 'lens "' .. lens_title .. '"')

  -- 3a. `<leader>cl` (vim.lsp.codelens.run) on the threat: several lenses
  -- share the line, so Neovim asks which; the report opens in a window.
  local function run_lens(row, command)
    vim.ui.select = function(items, _, choose)
      for _, item in ipairs(items) do
        if item.lens.command.command == command then
          return choose(item)
        end
      end
      choose(nil)
    end
    vim.api.nvim_win_set_cursor(0, { row, 0 })
    vim.lsp.codelens.run()
  end
  local source = vim.api.nvim_get_current_buf()
  run_lens(threat_row, 'dtr.showReport')
  assert(vim.wait(TIMEOUT, function()
    return vim.api.nvim_get_current_buf() ~= source
  end, 50), 'no report window')
  local text = table.concat(vim.api.nvim_buf_get_lines(0, 0, -1, false), '\n')
  assert(text:find('Scenario narva') and text:find('RUS'), 'report: ' .. text:sub(1, 200))
  vim.cmd('close')
  table.insert(report, 'report shown')

  -- 3b. The scenario's expectations: the server's message says how they fare.
  local shown = {}
  local default_show = vim.lsp.handlers['window/showMessage']
  vim.lsp.handlers['window/showMessage'] = function(err, result, ctx, config)
    table.insert(shown, result.message)
    return default_show(err, result, ctx, config)
  end
  assert(vim.wait(TIMEOUT, function()
    return #lenses_on(find_line('^scenario narva')) > 0
  end, 50), 'no lens on scenario narva')
  run_lens(find_line('^scenario narva'), 'dtr.runExpectations')
  assert(vim.wait(TIMEOUT, function()
    return #shown > 0
  end, 50), 'no message from dtr.runExpectations')
  assert(shown[1]:find('^narva: %d+ of %d+ expectations hold'), 'message: ' .. shown[1])
  table.insert(report, 'expectations "' .. shown[1]:gsub('\n.*', '') .. '"')

  -- 3c. The scenario's escalation graph, from its lens and from
  -- :DtrEscalation (every scenario): the page written and opened.
  local function page(n)
    assert(vim.wait(TIMEOUT, function()
      return #opened >= n
    end, 50), 'no escalation page opened')
    local file = assert(io.open(opened[n], 'r'))
    local html = file:read('*a')
    file:close()
    assert(html:find('<svg class="escalation"', 1, true), 'not the escalation page: ' .. html:sub(1, 200))
    return html
  end
  run_lens(find_line('^scenario narva'), 'dtr.showEscalation')
  local html = page(1)
  assert(html:find('id="scenario-narva"', 1, true) and not html:find('id="scenario-suwalki"', 1, true), 'the lens shows its scenario')
  vim.cmd('DtrEscalation')
  html = page(2)
  assert(html:find('id="scenario-narva"', 1, true) and html:find('id="scenario-suwalki"', 1, true), ':DtrEscalation shows every scenario')
  table.insert(report, 'escalation opened')

  -- 3d. An error removes the lenses; fixing it and formatting (no save)
  -- bring them back.
  row, _, line = find_line('RUS attacks EST')
  vim.api.nvim_buf_set_lines(0, row - 1, row, false, { (line:gsub('EST', 'ETS')) })
  assert(vim.wait(TIMEOUT, function()
    return #vim.diagnostic.get(0, errors) > 0 and #vim.lsp.codelens.get(0) == 0 and shown_lenses() == 0
  end, 50), 'lenses left while the file has errors: ' .. shown_lenses())
  -- Fixed, but indented wrongly, so that formatting rewrites the buffer.
  vim.api.nvim_buf_set_lines(0, row - 1, row, false, { '        ' .. vim.trim(line) })
  assert(vim.wait(TIMEOUT, function()
    return #vim.diagnostic.get(0, errors) == 0
  end, 50), 'errors left after the second fix')
  local format = vim.lsp.buf.format or vim.lsp.buf.formatting_sync
  format()
  assert(vim.api.nvim_buf_get_lines(0, row - 1, row, false)[1] == line, 'formatting did not restore the line')
  assert(vim.wait(TIMEOUT, function()
    return shown_lenses() > 0
  end, 50), 'no lenses after formatting')
  table.insert(report, 'lenses follow errors and formatting')

  -- 4. Hover on an actor's name.
  local actor_row, actor_col = find_line('^actor USA')
  local hover = request('textDocument/hover', actor_row, actor_col + 6)
  local text = type(hover.contents) == 'table' and (hover.contents.value or vim.inspect(hover.contents))
    or tostring(hover.contents)
  assert(text:find('United States'), 'hover on USA: ' .. text)
  table.insert(report, 'hover on USA')

  -- 5. Document highlight, as `vim.lsp.buf.document_highlight()` shows it:
  -- the scenario's declaration (a write) and each use (reads).
  local narva_row = find_line('^scenario narva')
  local highlights = request('textDocument/documentHighlight', narva_row, 10)
  assert(#highlights > 2 and highlights[1].kind == 3 and highlights[2].kind == 2, vim.inspect(highlights))
  vim.lsp.buf.document_highlight()
  assert(vim.wait(TIMEOUT, function()
    local ns = vim.api.nvim_get_namespaces()['vim_lsp_references']
    return ns and #vim.api.nvim_buf_get_extmarks(0, ns, 0, -1, {}) == #highlights
  end, 50), 'the highlights were not drawn')
  vim.lsp.buf.clear_references()
  table.insert(report, 'highlight marks ' .. #highlights .. ' narva')

  -- 6. Inlay hints (Neovim 0.10 draws them; here, the reply): at the end
  -- of the line of `expect narva: P(USA joins) >= …`, the computed value.
  local p_row, _, p_line = find_line('^expect narva: P%(USA joins%)')
  local uri = vim.uri_from_bufnr(0)
  local whole = { start = { line = 0, character = 0 }, ['end'] = { line = vim.api.nvim_buf_line_count(0), character = 0 } }
  local replies = vim.lsp.buf_request_sync(0, 'textDocument/inlayHint', { textDocument = { uri = uri }, range = whole }, TIMEOUT)
  local hint = nil
  for _, reply in pairs(replies or {}) do
    for _, h in ipairs(reply.result or {}) do
      if h.position.line + 1 == p_row then
        hint = h
      end
    end
  end
  assert(hint and hint.position.character == #p_line, 'no inlay hint at the end of line ' .. p_row)
  assert(hint.label:find('^holds: P%(USA joins%) = '), 'inlay hint: ' .. hint.label)
  table.insert(report, 'inlay hint "' .. hint.label .. '"')

  -- 7. Semantic tokens (Neovim 0.9 draws them): `RUS` after `threat` is an actor.
  local legend = vim.lsp.get_active_clients()[1].server_capabilities.semanticTokensProvider.legend
  replies = vim.lsp.buf_request_sync(0, 'textDocument/semanticTokens/full', { textDocument = { uri = uri } }, TIMEOUT)
  local data = nil
  for _, reply in pairs(replies or {}) do
    data = data or (reply.result and reply.result.data)
  end
  assert(data, 'no semantic tokens')
  local lines = vim.api.nvim_buf_get_lines(0, 0, -1, false)
  local tline, tcol, typed = 0, 0, {}
  for i = 1, #data, 5 do
    tline = tline + data[i]
    tcol = (data[i] == 0) and (tcol + data[i + 1]) or data[i + 1]
    local word = lines[tline + 1]:sub(tcol + 1, tcol + data[i + 2])
    typed[#typed + 1] = word .. ':' .. legend.tokenTypes[data[i + 3] + 1]
  end
  local joined = table.concat(typed, ' ')
  assert(joined:find('threat:keyword RUS:actor', 1, true), 'semantic tokens: ' .. joined:sub(1, 300))
  table.insert(report, 'semantic tokens type ' .. #typed .. ' words')

  -- 8. Completion in an expectation.
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
