-- Headless check of editors/neovim/lsp/dtr.lua, the configuration Neovim
-- 0.11+ reads for `vim.lsp.enable('dtr')`. On an older Neovim it starts the
-- same configuration with vim.lsp.start_client: the server must attach,
-- publish the W0001 of the file and send the code lenses on refresh.
--
--   DTR_LSP_CMD=/path/to/dtr DTR_TEST_FILE=/tmp/baltic-unused.dtr \
--     nvim --headless -u NONE -c 'luafile editors/neovim/test/lsp_config.lua'
local here = debug.getinfo(1, 'S').source:sub(2)
local plugin_dir = vim.fn.fnamemodify(here, ':p:h:h')
local TIMEOUT = 30000

local function finish(ok, message)
  io.stdout:write((ok and 'ok: ' or 'FAIL: ') .. message .. '\n')
  vim.cmd(ok and 'qall!' or 'cquit! 1')
end

local ok, err = pcall(function()
  local config = dofile(plugin_dir .. '/lsp/dtr.lua')
  assert(vim.deep_equal(config.cmd, { 'dtr', 'lsp' }), 'cmd is not dtr lsp')
  assert(vim.deep_equal(config.filetypes, { 'dtr' }), 'filetypes')
  assert(vim.tbl_contains(config.root_markers, '.git'), 'root_markers')
  vim.cmd('edit ' .. vim.fn.fnameescape((assert(os.getenv('DTR_TEST_FILE'), 'DTR_TEST_FILE not set'))))
  local bufnr = vim.api.nvim_get_current_buf()
  local started
  if vim.lsp.enable and vim.lsp.config then
    vim.lsp.config('dtr', { cmd = { assert(os.getenv('DTR_LSP_CMD')), 'lsp' } })
    vim.opt.runtimepath:prepend(plugin_dir)
    vim.lsp.enable('dtr')
    vim.bo[bufnr].filetype = 'dtr'
    started = 'vim.lsp.enable'
  else
    local client_config = vim.tbl_extend('force', config, {
      name = 'dtr',
      cmd = { assert(os.getenv('DTR_LSP_CMD'), 'DTR_LSP_CMD not set'), 'lsp' },
      root_dir = vim.fn.fnamemodify(vim.api.nvim_buf_get_name(bufnr), ':p:h'),
    })
    client_config.filetypes, client_config.root_markers = nil, nil
    local id = assert(vim.lsp.start_client(client_config), 'start_client failed')
    vim.lsp.buf_attach_client(bufnr, id)
    started = 'vim.lsp.start_client'
  end
  assert(vim.wait(TIMEOUT, function()
    for _, d in ipairs(vim.diagnostic.get(bufnr)) do
      local code = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code)
      if code == 'W0001' then
        return true
      end
    end
    return false
  end, 50), 'no W0001 diagnostic')
  -- on_attach asked for the lenses; they arrive without any other request.
  assert(vim.wait(TIMEOUT, function()
    return #vim.lsp.codelens.get(bufnr) > 0
  end, 50), 'no code lens after attach')
  return string.format('%s: W0001 and %d lenses', started, #vim.lsp.codelens.get(bufnr))
end)

finish(ok, tostring(err))
